/*
 * decide.c - the workflow's decisions on the screens, shared by the review
 * queue, the record view and the event view: which decision a key stands
 * for, what each asks first (one question to approve or withdraw, a
 * comment to return, a reason to unlock), and a record moved by one
 * store_transition(), the call `talentreg review` and `withdraw` make.
 */
#include <stdlib.h>

#include "ui.h"

bool ui_decision(enum ui_action ua, enum action *act)
{
	switch (ua) {
	case UA_APPROVE: *act = ACT_APPROVE; return true;
	case UA_RETURN: *act = ACT_RETURN; return true;
	case UA_UNLOCK: *act = ACT_UNLOCK; return true;
	case UA_WITHDRAW: *act = ACT_WITHDRAW; return true;
	default: return false;
	}
}

char *review_ask(enum action act, const char *question, char **status)
{
	*status = NULL;
	if (act == ACT_APPROVE || act == ACT_WITHDRAW)
		return ui_confirm(question) ? xstrdup("") : NULL;
	bool unlock = act == ACT_UNLOCK;
	char *typed = ui_prompt(msg(unlock ? MSG_UI_UNLOCK_REASON : MSG_UI_REVIEW_COMMENT), NULL);
	if (typed == NULL)
		return NULL;
	char *comment = str_trim(typed);
	free(typed);
	if (*comment == '\0') {
		free(comment);
		*status = xstrdup(msg(unlock ? MSG_UI_UNLOCK_NEED_REASON : MSG_UI_REVIEW_NEED_COMMENT));
		return NULL;
	}
	return comment;
}

char *review_decide(struct app *app, const struct record *r, enum action act, bool *done)
{
	*done = false;
	char *status, *cause = NULL;
	char *q = msgf(act == ACT_WITHDRAW ? MSG_UI_CONFIRM_WITHDRAW : MSG_UI_REVIEW_CONFIRM_APPROVE,
		       r->name);
	char *comment = review_ask(act, q, &status);
	free(q);
	if (comment == NULL)
		return status;
	int rc = store_transition(app->st, &app->actor, r->uuid, act, *comment ? comment : NULL,
				  &cause);
	free(comment);
	if (rc != SR_OK)
		return cause;
	*done = true;
	enum msg_id said = act == ACT_APPROVE ? MSG_UI_REVIEW_APPROVED
			   : act == ACT_RETURN ? MSG_UI_REVIEW_RETURNED
			   : act == ACT_UNLOCK ? MSG_REVIEW_UNLOCKED : MSG_WITHDRAWN;
	return msgf(said, r->name);
}
