"""The conversation on a lead, for its page in the admin (includes/conversation.html)."""

from django import template

from ..admin.conversation import ReplyForm
from ..models import LeadMessage
from ..replies import can_reply, default_subject

register = template.Library()


@register.simple_tag
def lead_conversation(inquiry):
    """The lead's e-mails (oldest first, with their attachments), who the conversation
    waits for and since when, and the reply form. Reads only."""
    side, since = inquiry.conversation_state()
    return {
        "messages": inquiry.messages.select_related("user").prefetch_related("attachments"),
        "waiting_for": side,
        "since": since,
        "can_reply": can_reply(inquiry),
        "reply_form": ReplyForm(initial={"subject": default_subject(inquiry)}),
        "unmatched_count": LeadMessage.objects.unmatched().count(),
    }
