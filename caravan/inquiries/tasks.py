"""Where the inquiry delivery task used to be declared. It is declared in delivery.py now,
beside the work it does; this name still finds it, for tasks queued by an earlier release
under the old path (`caravan.inquiries.tasks.deliver_inquiry`)."""

from .delivery import deliver_inquiry

__all__ = ["deliver_inquiry"]
