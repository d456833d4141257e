/*
 * cmd_review.c - the workflow commands: review (a supervisor approves,
 * returns or unlocks a record) and withdraw (an officer takes back a record
 * it made). Each is one store_transition(), which asks auth_check() inside
 * its transaction and writes the audit row with the comment; so the
 * screens' review queue, which makes the same call, obeys the same rules.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"

static const struct decision {
	const char *word;
	enum action act;
	bool needs_comment;
	enum msg_id missing, done;
} decisions[] = {
	{"approve", ACT_APPROVE, false, MSG_ERROR, MSG_REVIEW_APPROVED},
	{"return", ACT_RETURN, true, MSG_REVIEW_RETURN_NEEDS_COMMENT, MSG_REVIEW_RETURNED},
	{"unlock", ACT_UNLOCK, true, MSG_REVIEW_UNLOCK_NEEDS_COMMENT, MSG_REVIEW_UNLOCKED},
};

static const struct decision *find_decision(const char *word)
{
	for (size_t i = 0; i < ARRAY_LEN(decisions); i++)
		if (str_eq(decisions[i].word, word))
			return &decisions[i];
	return NULL;
}

/* Opens the store, finds the record id names and moves it by act with
 * comment; prints done with its whole uuid. Returns an exit status. */
static int transition(struct app *app, const char *id, enum action act, const char *comment,
		      enum msg_id done)
{
	int rc = app_open(app, false);
	if (rc != EXIT_DONE)
		return rc;
	struct record *r = NULL;
	char *cause = NULL;
	int src = store_get(app->st, &app->actor, id, &r, &cause);
	if (src == SR_OK)
		src = store_transition(app->st, &app->actor, r->uuid, act, comment, &cause);
	if (src != SR_OK)
		rc = cli_store_error(src, cause);
	else
		cli_out(done, r->uuid);
	if (r) {
		record_free(r);
		free(r);
	}
	return rc;
}

/* Parses "NAME ARG... [--comment TEXT]" with exactly nargs positional
 * arguments, named in names for the messages. */
static int parse(int argc, char **argv, int nargs, const char *const names[],
		 const char ***pos, const char **comment)
{
	int npos;
	struct opt opts[] = {{"--comment", comment, NULL}};
	int rc = opts_parse(argc, argv, opts, ARRAY_LEN(opts), pos, &npos);
	if (rc == EXIT_DONE && npos < nargs)
		rc = cli_usage(MSG_MISSING_ARGUMENT, names[npos]);
	else if (rc == EXIT_DONE && npos > nargs)
		rc = cli_usage(MSG_EXTRA_ARGUMENT, (*pos)[nargs]);
	return rc;
}

int cmd_review(struct app *app, int argc, char **argv)
{
	static const char *const names[] = {"UUID", "approve|return|unlock"};
	const char **pos = NULL, *given = NULL;
	const struct decision *d = NULL;
	char *comment = NULL;
	int rc = parse(argc, argv, 2, names, &pos, &given);
	if (rc == EXIT_DONE && !find_decision(pos[1]) && find_decision(pos[0])) {
		const char *t = pos[0];	/* "review approve UUID": the meaning is plain */
		pos[0] = pos[1];
		pos[1] = t;
	}
	if (rc == EXIT_DONE && (d = find_decision(pos[1])) == NULL)
		rc = cli_usage(MSG_REVIEW_BAD_DECISION, pos[1]);
	if (rc == EXIT_DONE)
		rc = cli_comment(given, d->needs_comment, d->missing, &comment);
	if (rc == EXIT_DONE)
		rc = transition(app, pos[0], d->act, comment, d->done);
	free(comment);
	free(pos);
	return rc;
}

int cmd_withdraw(struct app *app, int argc, char **argv)
{
	static const char *const names[] = {"UUID"};
	const char **pos = NULL, *given = NULL;
	char *comment = NULL;
	int rc = parse(argc, argv, 1, names, &pos, &given);
	if (rc == EXIT_DONE)
		rc = cli_comment(given, false, MSG_ERROR, &comment);
	if (rc == EXIT_DONE)
		rc = transition(app, pos[0], ACT_WITHDRAW, comment, MSG_WITHDRAWN);
	free(comment);
	free(pos);
	return rc;
}
