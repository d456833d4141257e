/*
 * events.h - the one way an event (a training class, a concentrated
 * training, a study tour, a recruitment drive, the science week: issue 15)
 * is made and saved, and the one way a person is added to its attendees.
 * An event is checked against its type (forms/events/TYPE.ini: fields and
 * rules, as a form) and saved through store_events.h; an attendee is found
 * by ID number, or, when not registered yet, registered on the spot
 * through the registry (registry.h) in the category the event type names,
 * with the event's details carried into the new record, the record and
 * the attendance saved in one transaction.
 *
 * No terminal, no printing: results carry the issues, as registry.h's do.
 */
#ifndef TALENTREG_EVENTS_H
#define TALENTREG_EVENTS_H

#include "registry.h"
#include "store_events.h"

/* Adds an event of type (vals normalised in place), as submitted; res as
 * reg_add's (uuid set when REG_SAVED). */
void ev_add(const struct registry *rg, const struct form *type, struct kv *vals,
	    const struct reg_opts *o, struct reg_result *res);
/* Edits the stored event e (as store_event_get gave it): each key of
 * changes gets its value, an empty one clears it. */
void ev_edit(const struct registry *rg, const struct form *type, struct event *e,
	     const struct kv *changes, const struct reg_opts *o, struct reg_result *res);

/* The values a person registered on the spot at event e starts with: the
 * ID number (and the birth date and gender a valid one gives), the
 * event's values its type carries into the category's fields, and the
 * type's presets. */
void ev_attendee_values(const struct form *type, const struct event *e, const char *id,
			struct kv *vals);
/* The category a person registered on the spot at an event of type joins,
 * or NULL when its type registers nobody. */
const struct form *ev_category(const struct config *c, const struct form *type);

enum attend_outcome {
	AT_LINKED,		/* a registered person now attends */
	AT_REGISTERED,		/* registered on the spot, and attends */
	AT_ALREADY,		/* attends already: nothing changed */
	AT_BAD_ID,		/* the ID number is refused (res.is has it) */
	AT_NEW,			/* not registered: their own fields are needed (res.is
				 * holds what is missing), or, with check only, would be
				 * registered */
	AT_NOBODY,		/* not registered, and the type registers nobody */
	AT_DENIED,		/* not the user's to do (res.cause) */
	AT_FAILED		/* the store failed (res.store_rc, res.cause) */
};

struct attend_result {
	enum attend_outcome outcome;
	struct reg_result res;	/* the registration's issues, cause, the record's uuid */
	char *person_key;	/* the normalised ID, when valid */
	char *name;		/* the person's name, when known */
	bool elsewhere;		/* registered in a township the user does not see */
};
void attend_result_free(struct attend_result *r);

/* Adds the person of typed_id to event e's attendees: a registered
 * person is linked (once, whatever their categories); one not registered
 * is registered in the type's category with own (their own fields: name,
 * phone, township, ...; may be NULL) beside the values ev_attendee_values
 * makes (which own does not change), then linked. With check, nothing is saved: the outcome says what
 * would happen (AT_NEW with no issue: would be registered). source is
 * "typed" or "sheet". Someone found outside the user's townships, and an
 * ID that found nobody and registered nobody, are lookups by a whole
 * number (store_note_lookup; the screen's newcomer, whose form follows,
 * too, before it opens); past an officer's limit the outcome is AT_DENIED,
 * saying only that. */
void ev_attend(const struct registry *rg, const struct event *e, const char *typed_id,
	       const struct kv *own, const char *source, bool confirm, bool check,
	       struct attend_result *out);

/* ---- the training fields of old records, linked to events ---- */

/* Records of one category with the same training values (the fields event
 * types carry into it), and what became of them. */
struct mig_group {
	const struct form *category;
	struct strv fields, values;	/* the carried fields and the records' values */
	struct strv events;		/* the uuids of the live events they match */
	long records;			/* records of these values */
	long linked;			/* now attend (or would, dry_run) */
	long already;			/* attended already */
	long refused;			/* the event is not the user's to fill (locked, ...) */
};
/* Links the training fields of old records to events (issue 15): for each
 * category that an event type registers and carries values into, every
 * live record the user sees whose carried fields hold anything is set
 * against the live events of those types with the same values; a record
 * whose values match exactly one event is added to its attendees (source
 * "migrated"); one that matches none or several is left alone. No record
 * is changed: its text stays as it was. With dry_run nothing is saved.
 * cb gets every group, by category and values; returns SR_OK, or the
 * store's failure (cause set). */
int ev_migrate(const struct registry *rg, bool dry_run,
	       int (*cb)(const struct mig_group *g, void *arg), void *arg, char **cause);

#endif
