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
#include "text.h"

/* A comment is read by people in lists and the history: one line, short. */
#define COMMENT_MAX_CHARS 500

/* The review decisions: the word on the command line, the action, whether
 * it needs a comment (and the message when it is missing), and the message
 * when it is done. */
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

/* Checks the --comment value: trimmed, one line with no control or format
 * characters, at most COMMENT_MAX_CHARS. *out is the new trimmed comment,
 * or NULL when none was given (or only white space). Returns 0, or prints
 * the problem (missing, when required and none given) and returns
 * EXIT_USAGE. */
static int read_comment(const char *given, bool required, enum msg_id missing, char **out)
{
	*out = NULL;
	char *c = given ? text_trim(given) : NULL;
	uint32_t bad;
	int rc = EXIT_DONE;
	if (str_empty(c)) {
		if (required) {
			cli_err(missing);
			rc = EXIT_USAGE;
		}
	} else if (text_check(c, false, &bad) < 0) {
		cli_err(MSG_COMMENT_BAD_CHAR, (unsigned)bad);
		rc = EXIT_USAGE;
	} else if (utf8_chars(c) > COMMENT_MAX_CHARS) {
		cli_err(MSG_COMMENT_TOO_LONG, COMMENT_MAX_CHARS);
		rc = EXIT_USAGE;
	} else {
		*out = c;
		return EXIT_DONE;
	}
	free(c);
	return rc;
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
		rc = read_comment(given, d->needs_comment, d->missing, &comment);
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
		rc = read_comment(given, false, MSG_ERROR, &comment);
	if (rc == EXIT_DONE)
		rc = transition(app, pos[0], ACT_WITHDRAW, comment, MSG_WITHDRAWN);
	free(comment);
	free(pos);
	return rc;
}
