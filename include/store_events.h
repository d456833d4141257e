/*
 * store_events.h - the store calls of events (issue 15): training classes,
 * concentrated trainings, study tours, recruitment drives, the science
 * week, each a record of its own (an event type of forms/events/), with a
 * status reviewed as a person's record is, and the people who attended it,
 * by ID number. Same conventions as store.h: SR_OK or a negative store_rc,
 * a new message in *cause on failure, every change in one transaction with
 * its audit row (under the event's uuid), auth_check() inside it.
 *
 * Who may do what, with auth.c's actions on the event's township (an
 * event without one is the district's: only a user of every township may
 * make, change or fill it): ACT_VIEW to see it (a district event is seen
 * by everyone), ACT_CREATE to register one and to add or remove its
 * attendees while it is neither approved (locked) nor withdrawn, ACT_EDIT,
 * ACT_APPROVE, ACT_RETURN, ACT_UNLOCK, ACT_WITHDRAW as for records.
 */
#ifndef TALENTREG_STORE_EVENTS_H
#define TALENTREG_STORE_EVENTS_H

#include <stdbool.h>

#include "store.h"

struct event {
	char uuid[37];
	char *type;		/* its event type's key */
	enum status status;
	char *title, *township, *start_date, *end_date;	/* copies of its values */
	bool has_hours;
	double hours;
	struct kv vals;
	char *comment;		/* the latest review comment, NULL none */
	char *created_by, *created_at, *updated_by, *updated_at, *site;
	int version;
	long attendees;		/* read by get and list */
};
void event_free(struct event *e);
/* Sets the event's column copies (title, township, dates, hours) from its
 * values. */
void event_sync(struct event *e);

/* Adds e (uuid, type, vals and their copies set by the caller; a missing
 * uuid is made) as submitted, with note (confirmed warnings) in its audit
 * row. The events are made through events.h, which validates them first. */
int store_event_add(struct store *st, const struct actor *a, struct event *e, const char *site,
		    const char *note, char **cause);
/* Reads the event whose uuid is id or starts with it (8 or more
 * characters), when a may see it. *out is new: event_free() and free(). */
int store_event_get(struct store *st, const struct actor *a, const char *id, struct event **out,
		    char **cause);
/* Replaces the values of the stored event e->uuid when its version is
 * still e->version; a returned event becomes submitted again. */
int store_event_update(struct store *st, const struct actor *a, struct event *e,
		       const char *note, char **cause);
/* SR_OK when a may do act to e, else SR_DENIED with the reason (cause may
 * be NULL). ACT_CREATE: add attendees to it (open, in a's reach), asked
 * before anyone is typed in; the screens ask it to offer only the keys
 * that will work. */
int store_event_may(const struct actor *a, enum action act, const struct event *e,
		    char **cause);
/* Approves, returns, unlocks, withdraws or submits (again) the event id,
 * with a comment (required for return and unlock: the caller's to ask). */
int store_event_transition(struct store *st, const struct actor *a, const char *id,
			   enum action act, const char *comment, char **cause);

/* What a list asks for; NULL or -1 do not filter. Newest first. */
struct event_query {
	const char *type;
	int status;
	const char *township;
	int limit;		/* 0: all */
};
int store_event_list(struct store *st, const struct actor *a, const struct event_query *q,
		     int (*cb)(const struct event *e, void *arg), void *arg, char **cause);

/* ---- attendance ---- */

/* One attendee as a may see them: one of a township a does not see has
 * only a placeholder name, the township and how they were added (the ID,
 * record, category and status NULL). */
struct attendee {
	const char *person_key, *uuid, *name, *township, *category, *status;
	const char *source;	/* typed, sheet, spot, migrated */
	const char *added_by, *added_at;
};

/* A person's live record, for attendance: the one of category prefer when
 * there is one, else the oldest. *uuid (new) is NULL when the person has no
 * live record; name, township and category are new copies, each may be
 * NULL. Not scoped: the caller shows no more than a's role allows. */
int store_person_record(struct store *st, const char *person_key, const char *prefer,
			char **uuid, char **name, char **township, char **category, char **cause);
/* Adds the person (a normalised ID number) to event id's attendees,
 * through their live record (the one of category prefer when there is
 * one). A person with no live record is SR_NOTFOUND, one who attends
 * already SR_NOCHANGE; source says how it came. */
int store_event_attend(struct store *st, const struct actor *a, const char *id,
		       const char *person_key, const char *prefer, const char *source,
		       char **cause);
/* What st_event_attend_hook needs: the event (its whole uuid) and how the
 * person came. */
struct attend_hook {
	const char *event_uuid;
	const char *source;
};
/* A store_save.then hook (store.h): adds the record r just saved to the
 * attendees of the event of arg (a struct attend_hook), in the same
 * transaction, so that a person registered on the spot attends, or
 * nothing is saved at all. */
int st_event_attend_hook(struct store *st, const struct actor *a, const struct record *r,
			 void *arg, char **cause);
/* Takes the person off event id's attendees (SR_NOCHANGE when not there).
 * Only whoever added them may, or a supervisor or admin who sees their
 * township; to anyone else they are not there (SR_NOCHANGE too). */
int store_event_unattend(struct store *st, const struct actor *a, const char *id,
			 const char *person_key, char **cause);
/* Calls cb for each attendee of event id (in the order they were added)
 * until cb returns non-zero; the attendee is valid during the call. */
int store_event_attendees(struct store *st, const struct actor *a, const char *id,
			  int (*cb)(const struct attendee *at, void *arg), void *arg, char **cause);
/* Calls cb for each audit row of event id, oldest first. */
int store_event_history(struct store *st, const struct actor *a, const char *id,
			int (*cb)(const struct audit_row *row, void *arg), void *arg,
			char **cause);

/* ---- counts for the plan's targets ---- */

enum event_measure { EM_EVENTS, EM_PEOPLE, EM_HOURS };
/* What a target of events counts: events of the types, held from .. to
 * (ISO dates, NULL: open), of a status (-1: any live one); with before (a
 * UTC timestamp), only events and attendance added before it. Events of
 * a's townships (a district event counts for users of every township);
 * people and hours by the attendee's township. EM_PEOPLE counts distinct
 * people, EM_HOURS the event's hours of each attendance. */
struct event_count {
	const struct strv *types;
	const char *from, *to, *before;
	int status;
	enum event_measure what;
};
int store_event_count(struct store *st, const struct actor *a, const struct event_count *q,
		      double *n, char **cause);

#endif
