"""An inquiry: what a buyer asked, where they asked it from, whether it looks like spam,
and whether the sales team and the buyer have been e-mailed about it."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from .wording import Unit  # the lines' units, read by visitors

# Letters and digits that cannot be mistaken for one another on the phone or on paper
# (no 0/O, 1/I/L).
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_reference():
    """A short reference a buyer can read out on the phone: 'Q-7KD4-2M'.

    31⁶ ≈ 887 million combinations; the unique constraint catches the rare repeat and the
    caller draws again."""
    chars = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))
    return f"Q-{chars[:4]}-{chars[4:]}"


class ContactKind(models.TextChoices):
    EMAIL = "email", _("e-mail")
    PHONE = "phone", _("phone")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed (gave up retrying)")
    SKIPPED = "skipped", _("not sent")


class LeadStatus(models.TextChoices):
    """Where the sales team is with a lead. Leaving New is the first response."""

    NEW = "new", _("New")
    CONTACTED = "contacted", _("Contacted")
    QUOTED = "quoted", _("Quoted")
    WON = "won", _("Won")
    LOST = "lost", _("Lost")
    SPAM = "spam", _("Spam")


class Incoterm(models.TextChoices):
    """Incoterms 2020: who pays and bears the risk of the carriage, up to where. The codes
    and their official names are the same in every language."""

    EXW = "EXW", "EXW – Ex Works"
    FCA = "FCA", "FCA – Free Carrier"
    FOB = "FOB", "FOB – Free On Board"
    CFR = "CFR", "CFR – Cost and Freight"
    CIF = "CIF", "CIF – Cost, Insurance and Freight"
    CPT = "CPT", "CPT – Carriage Paid To"
    CIP = "CIP", "CIP – Carriage and Insurance Paid To"
    DAP = "DAP", "DAP – Delivered At Place"
    DPU = "DPU", "DPU – Delivered at Place Unloaded"
    DDP = "DDP", "DDP – Delivered Duty Paid"


def contact_key(contact_kind, contact, contact_phone=""):
    """The buyer's identity for threading: the E.164 phone, or the e-mail lower-cased."""
    if contact_kind == ContactKind.PHONE and contact_phone:
        return contact_phone
    return (contact or "").strip().lower()


def person_name(user):
    """How the team calls a user: their full name, else their username."""
    return (user.get_full_name() or user.get_username()) if user else ""


class Channel(models.TextChoices):
    """The two e-mails an inquiry causes; each has its own delivery state."""

    NOTIFICATION = "notification", _("notification to sales")
    AUTOREPLY = "autoreply", _("confirmation to the buyer")


def _pending(channel, due_before=None):
    condition = Q(**{f"{channel}_status": DeliveryStatus.PENDING})
    if due_before is not None:
        condition &= Q(**{f"{channel}_next_attempt_at__lte": due_before})
    return condition


def private_storage():
    """Where the buyers' files are kept: the `private` storage (STORAGES), never under
    MEDIA_URL; they are served only by the inbox's download views."""
    from django.core.files.storage import storages

    return storages["private"]


class InquiryQuerySet(models.QuerySet):
    def not_spam(self):
        return self.filter(is_spam=False)

    def spam(self):
        return self.filter(is_spam=True)

    def undelivered(self):
        """Real inquiries whose notification has not reached the sales team (yet)."""
        return self.not_spam().filter(
            notification_status__in=[DeliveryStatus.PENDING, DeliveryStatus.FAILED]
        )

    def delivery_failed(self):
        """Inquiries whose notification or auto-reply was given up on after retrying."""
        return self.filter(
            Q(notification_status=DeliveryStatus.FAILED) | Q(autoreply_status=DeliveryStatus.FAILED)
        )

    def awaiting_delivery(self):
        """Inquiries with an e-mail still to send (now or at a later retry)."""
        return self.filter(_pending(Channel.NOTIFICATION) | _pending(Channel.AUTOREPLY))

    def due_for_delivery(self, now=None):
        """Inquiries with an e-mail whose (next) attempt is due by `now`."""
        now = now or timezone.now()
        return self.filter(_pending(Channel.NOTIFICATION, now) | _pending(Channel.AUTOREPLY, now))

    def unleased(self, now=None):
        """Inquiries no worker is sending right now (no lease, or an expired one)."""
        now = now or timezone.now()
        return self.filter(Q(delivery_lease_until__isnull=True) | Q(delivery_lease_until__lt=now))

    def delivery_stalled(self, now, grace):
        """Inquiries whose delivery should have happened but no live worker has it: a lease
        that expired (the worker died mid-send), or an attempt overdue by more than `grace`
        with no lease at all (the worker died before taking the lease)."""
        overdue = now - grace
        expired_lease = Q(delivery_lease_until__lt=now)
        never_leased = Q(delivery_lease_until__isnull=True) & (
            _pending(Channel.NOTIFICATION, overdue) | _pending(Channel.AUTOREPLY, overdue)
        )
        return self.awaiting_delivery().filter(expired_lease | never_leased)


class Inquiry(models.Model):
    """A question a buyer sent from the site. Stored before anything else happens, so it
    is never lost; the e-mails about it are sent afterwards by the task worker."""

    reference = models.CharField(_("reference"), max_length=12, unique=True, editable=False)
    created_at = models.DateTimeField(_("received at"), default=timezone.now, db_index=True)
    site = models.ForeignKey(
        "wagtailcore.Site",
        verbose_name=_("site"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    # What the buyer typed, stored exactly as entered (trimmed).
    name = models.CharField(_("name"), max_length=100)
    contact = models.CharField(
        _("e-mail or phone"), max_length=254, help_text=_("As the buyer typed it.")
    )
    contact_kind = models.CharField(_("kind of contact"), max_length=5, choices=ContactKind.choices)
    contact_phone = models.CharField(
        _("phone (international format)"),
        max_length=20,
        blank=True,
        help_text=_("The phone number in E.164 format, e.g. +8613955500123."),
    )
    message = models.TextField(_("message"), max_length=5000)
    company = models.CharField(_("company"), max_length=200, blank=True)
    country = models.CharField(
        _("country"), max_length=2, blank=True, help_text=_("ISO 3166 code, e.g. KZ.")
    )
    product = models.ForeignKey(
        "products.ProductPage",
        verbose_name=_("product"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inquiries",
    )
    product_title = models.CharField(
        _("product title"),
        max_length=255,
        blank=True,
        help_text=_("The product's title when the inquiry arrived (kept if it is deleted)."),
    )
    # The first line of the request (kept for the lists and filters that name one product);
    # every line, the first included, is an InquiryLine.
    quantity = models.PositiveIntegerField(_("quantity"), null=True, blank=True)

    # The buyer's terms (all optional).
    destination_country = models.CharField(
        _("destination country"), max_length=2, blank=True, help_text=_("ISO 3166 code, e.g. KZ.")
    )
    destination_place = models.CharField(_("destination port or city"), max_length=200, blank=True)
    incoterm = models.CharField(_("Incoterm"), max_length=3, choices=Incoterm.choices, blank=True)
    target_price = models.DecimalField(
        _("target price"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(
        _("currency"), max_length=3, blank=True, help_text=_("ISO 4217 code, e.g. USD.")
    )
    samples_wanted = models.BooleanField(_("samples wanted"), default=False)
    needed_by = models.DateField(_("needed by"), null=True, blank=True)

    # Spam checks: every inquiry is kept; suspected spam is flagged and never notified.
    spam_score = models.PositiveSmallIntegerField(_("spam score"), default=0)
    spam_reasons = models.JSONField(_("spam reasons"), default=list, blank=True)
    is_spam = models.BooleanField(_("suspected spam"), default=False, db_index=True)

    # Where it came from.
    language = models.CharField(_("language"), max_length=10)
    page_url = models.CharField(_("sent from page"), max_length=2000, blank=True)
    referrer = models.CharField(_("referrer of the visit"), max_length=2000, blank=True)
    landing_page = models.CharField(_("landing page of the visit"), max_length=2000, blank=True)
    utm_source = models.CharField("utm_source", max_length=200, blank=True)
    utm_medium = models.CharField("utm_medium", max_length=200, blank=True)
    utm_campaign = models.CharField("utm_campaign", max_length=200, blank=True)
    utm_term = models.CharField("utm_term", max_length=200, blank=True)
    utm_content = models.CharField("utm_content", max_length=200, blank=True)
    pages_viewed = models.JSONField(
        _("pages viewed in the visit"),
        default=list,
        blank=True,
        help_text=_("The site's pages the buyer looked at before asking, oldest first."),
    )
    user_agent = models.CharField(_("browser"), max_length=500, blank=True)
    ip_network = models.CharField(
        _("IP network"),
        max_length=49,
        blank=True,
        help_text=_("The sender's address, shortened to its network (IPv4 /24, IPv6 /48)."),
    )

    # Delivery of the notification to the sales team.
    notification_status = models.CharField(
        _("notification"),
        max_length=8,
        choices=DeliveryStatus.choices,
        default=DeliveryStatus.PENDING,
    )
    notification_attempts = models.PositiveSmallIntegerField(_("notification attempts"), default=0)
    notification_last_error = models.TextField(_("notification: last error"), blank=True)
    notification_delivered_at = models.DateTimeField(
        _("notification delivered at"), null=True, blank=True
    )
    notification_next_attempt_at = models.DateTimeField(
        _("notification: next attempt"), null=True, blank=True
    )

    # Delivery of the confirmation to the buyer (only when the contact is an e-mail).
    autoreply_status = models.CharField(
        _("confirmation to buyer"),
        max_length=8,
        choices=DeliveryStatus.choices,
        default=DeliveryStatus.PENDING,
    )
    autoreply_attempts = models.PositiveSmallIntegerField(_("confirmation attempts"), default=0)
    autoreply_last_error = models.TextField(_("confirmation: last error"), blank=True)
    autoreply_delivered_at = models.DateTimeField(
        _("confirmation delivered at"), null=True, blank=True
    )
    autoreply_next_attempt_at = models.DateTimeField(
        _("confirmation: next attempt"), null=True, blank=True
    )

    # Which worker is sending right now, until when (see delivery.py), and the task that
    # will send next.
    delivery_lease_owner = models.CharField(max_length=32, blank=True, editable=False)
    delivery_lease_until = models.DateTimeField(null=True, blank=True, editable=False)
    delivery_task_id = models.CharField(max_length=64, blank=True, editable=False)

    # The lead inbox: where the sales team is with it, who works it, the buyer's thread.
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=LeadStatus.choices,
        default=LeadStatus.NEW,
        db_index=True,
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_leads",
    )
    first_response_at = models.DateTimeField(
        _("first response at"),
        null=True,
        blank=True,
        help_text=_("When the lead first left the New status."),
    )
    contact_key = models.CharField(
        _("buyer"), max_length=254, blank=True, db_index=True, editable=False
    )
    earlier_inquiry = models.ForeignKey(
        "self",
        verbose_name=_("earlier inquiry from the same buyer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="later_inquiries",
        editable=False,
    )

    objects = InquiryQuerySet.as_manager()

    class Meta:
        verbose_name = _("inquiry")
        verbose_name_plural = _("inquiries")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["notification_status", "notification_next_attempt_at"],
                name="inquiry_notification_due_idx",
            ),
            models.Index(
                fields=["autoreply_status", "autoreply_next_attempt_at"],
                name="inquiry_autoreply_due_idx",
            ),
        ]

    def __str__(self):
        return f"{self.reference} · {self.name}"

    def conversation_state(self):
        """Who the conversation waits for and since when: ("us" | "buyer", moment). The
        buyer's inquiry and their e-mails wait for us; our reply waits for the buyer.
        Automatic messages (an out-of-office answer, a bounce) change nothing."""
        last = (
            self.messages.filter(automatic=False)
            .order_by("-created_at", "-pk")
            .only("direction", "created_at")
            .first()
        )
        if last is None:
            return ("us", self.created_at) if self.status == LeadStatus.NEW else (None, None)
        side = "us" if last.direction == LeadMessage.Direction.IN else "buyer"
        return side, last.created_at

    def thread(self):
        """The buyer's other inquiries (same e-mail or phone), newest first."""
        if not self.contact_key:
            return Inquiry.objects.none()
        return (
            Inquiry.objects.filter(contact_key=self.contact_key)
            .exclude(pk=self.pk)
            .select_related("product", "assignee")
        )

    @property
    def assignee_name(self):
        return person_name(self.assignee) if self.assignee_id else ""

    @property
    def response_time(self):
        if self.first_response_at:
            return self.first_response_at - self.created_at
        return None

    @property
    def reply_email(self):
        """The buyer's e-mail address, when that is how they asked to be contacted."""
        return self.contact.strip() if self.contact_kind == ContactKind.EMAIL else ""

    @property
    def display_product(self):
        """The product in the reader's language (any language version the buyer asked
        from is the same product), or the title kept when the product is gone."""
        from .grouping import product_name

        return product_name(self)

    @property
    def has_terms(self):
        return bool(
            self.destination_country
            or self.destination_place
            or self.incoterm
            or self.target_price is not None
            or self.samples_wanted
            or self.needed_by
        )

    @property
    def destination_country_name(self):
        from .countries import country_name

        return country_name(self.destination_country) if self.destination_country else ""

    @property
    def currency_name(self):
        from .countries import currency_name

        return currency_name(self.currency) if self.currency else ""

    def line_products(self):
        """The product pages of every line (the first line's included), without repeats."""
        pages = {}
        for line in self.lines.all():
            if line.product_id and line.product is not None:
                pages.setdefault(line.product_id, line.product)
        if self.product_id and self.product is not None:
            pages.setdefault(self.product_id, self.product)
        return list(pages.values())

    def get_country_display(self):
        """The country's name in the reader's language, with its ISO code."""
        from .countries import country_name

        return f"{country_name(self.country)} ({self.country})" if self.country else ""

    @property
    def country_name(self):
        from .countries import country_name

        return country_name(self.country) if self.country else ""

    @property
    def short_pages_viewed(self):
        """The pages viewed before asking, as one short path: '/en/ › /en/products/ › …'."""
        return " › ".join(self.pages_viewed or [])

    @property
    def utm(self):
        names = ("source", "medium", "campaign", "term", "content")
        return {f"utm_{n}": getattr(self, f"utm_{n}") for n in names if getattr(self, f"utm_{n}")}

    def arm_delivery(self, now=None):
        """Set the delivery state of a new inquiry: spam is never e-mailed about; the buyer
        gets a confirmation only when they gave an e-mail address."""
        now = now or timezone.now()
        if self.is_spam:
            self.notification_status = DeliveryStatus.SKIPPED
            self.autoreply_status = DeliveryStatus.SKIPPED
            return
        self.notification_status = DeliveryStatus.PENDING
        self.notification_next_attempt_at = now
        if self.contact_kind == ContactKind.EMAIL:
            self.autoreply_status = DeliveryStatus.PENDING
            self.autoreply_next_attempt_at = now
        else:
            self.autoreply_status = DeliveryStatus.SKIPPED


class InquiryLine(models.Model):
    """One product (or a described item) the buyer asks about, with quantity and unit."""

    inquiry = models.ForeignKey(
        Inquiry, verbose_name=_("inquiry"), on_delete=models.CASCADE, related_name="lines"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    product = models.ForeignKey(
        "products.ProductPage",
        verbose_name=_("product"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inquiry_lines",
    )
    product_title = models.CharField(
        _("product title"),
        max_length=255,
        blank=True,
        help_text=_("The product's title when the inquiry arrived (kept if it is deleted)."),
    )
    quantity = models.DecimalField(
        _("quantity"), max_digits=14, decimal_places=3, null=True, blank=True
    )
    unit = models.CharField(_("unit"), max_length=16, choices=Unit.choices, default=Unit.PIECE)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("inquiry line")
        verbose_name_plural = _("inquiry lines")
        ordering = ["position", "pk"]

    def __str__(self):
        return f"{self.product_title or self.note} × {self.quantity or ''} {self.unit}"

    @property
    def display_product(self):
        """The product in the reader's language, or the title kept when it is gone."""
        from .grouping import localized_titles

        if self.product_id and self.product is not None:
            return localized_titles([self.product]).get(self.product.translation_key) or (
                self.product.title
            )
        return self.product_title

    @property
    def quantity_display(self):
        """The quantity without trailing zeros: 500, 2.5."""
        if self.quantity is None:
            return ""
        text = format(self.quantity.normalize(), "f")
        return text


class InquiryAttachment(models.Model):
    """A file the buyer sent with the inquiry (a drawing, a specification), kept in the
    private storage and served only to the sales team (never while flagged as spam)."""

    inquiry = models.ForeignKey(
        Inquiry, verbose_name=_("inquiry"), on_delete=models.CASCADE, related_name="files"
    )
    file = models.FileField(storage=private_storage, upload_to="inquiries/%Y/%m/", max_length=255)
    filename = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("size"), default=0)

    class Meta:
        verbose_name = _("inquiry file")
        verbose_name_plural = _("inquiry files")
        ordering = ["pk"]

    def __str__(self):
        return self.filename


class LeadEvent(models.Model):
    """One thing that happened to a lead in the inbox: a status change, an assignment, an
    internal note, a resent e-mail, ... with who did it and when (the lead's history)."""

    class Kind(models.TextChoices):
        STATUS = "status", _("status changed")
        ASSIGNEE = "assignee", _("assigned")
        NOTE = "note", _("note")
        RESEND = "resend", _("e-mail resent")
        QUOTE_SENT = "quote_sent", _("quotation sent")
        QUOTE_ACCEPTED = "quote_accepted", _("quotation accepted")
        QUOTE_CHANGES = "quote_changes", _("changes asked for")
        EMAIL_IN = "email_in", _("e-mail received")
        EMAIL_OUT = "email_out", _("e-mail sent")
        DELIVERY = "delivery", _("e-mails queued")
        IMPORT = "import", _("imported")
        EMAIL = "email", _("e-mail")

    # The kinds that are an e-mail exchanged with the buyer; the newest one is the lead's
    # "last reply" (exports). Kinds added later for received and sent messages belong here.
    EMAIL_KINDS = frozenset({"email", "email_in", "email_out", "reply", "inbound", "outbound"})

    inquiry = models.ForeignKey(
        Inquiry, verbose_name=_("inquiry"), on_delete=models.CASCADE, related_name="events"
    )
    created_at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    old_value = models.CharField(_("from"), max_length=200, blank=True)
    new_value = models.CharField(_("to"), max_length=200, blank=True)
    text = models.TextField(_("text"), blank=True, max_length=10000)

    class Meta:
        verbose_name = _("lead event")
        verbose_name_plural = _("lead events")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.inquiry_id} {self.kind} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def kind_label(self):
        """The kind as the team reads it; a kind this version does not know shows as it is
        stored, so every event of the lead is listed."""
        return self.get_kind_display() or self.kind

    @property
    def is_email(self):
        return self.kind in self.EMAIL_KINDS


class AssignmentRule(models.Model):
    """Assigns new leads that match (product category, buyer's country, page language) to
    a salesperson; the first matching rule in order wins. Empty criteria match anything."""

    sort_order = models.PositiveIntegerField(_("order"), default=0)
    category = models.ForeignKey(
        "products.ProductCategory",
        verbose_name=_("product category"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    country = models.CharField(
        _("country"), max_length=2, blank=True, help_text=_("ISO 3166 code, e.g. KZ.")
    )
    language = models.CharField(_("language"), max_length=10, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assign to"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("assignment rule")
        verbose_name_plural = _("assignment rules")
        ordering = ["sort_order", "pk"]

    def __str__(self):
        parts = [str(p) for p in (self.category, self.country, self.language) if p]
        return " + ".join(parts) + f" → {self.assignee}"

    def clean(self):
        from django.core.exceptions import ValidationError

        self.country = self.country.strip().upper()
        if not (self.category_id or self.country or self.language):
            raise ValidationError(
                _("Choose at least one of product category, country or language.")
            )


@register_setting(icon="mail")
class InboxSettings(BaseGenericSetting):
    """How long leads are kept (privacy), applied every hour by a periodic job."""

    spam_retention_days = models.PositiveIntegerField(
        _("delete spam after (days)"),
        default=30,
        help_text=_("Suspected spam older than this is deleted. 0 keeps it forever."),
    )
    lead_retention_months = models.PositiveIntegerField(
        _("delete leads after (months)"),
        default=36,
        help_text=_(
            "Every inquiry older than this is deleted with its notes and history. "
            "0 keeps leads forever."
        ),
    )
    # When site admins were last e-mailed about failing notifications (at most hourly).
    last_delivery_alert_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("lead inbox")


class LeadMessageQuerySet(models.QuerySet):
    def unmatched(self):
        """Received e-mails that no lead claimed, for a person to attach by hand."""
        return self.filter(direction=LeadMessage.Direction.IN, inquiry__isnull=True, ignored=False)

    def due(self, now=None):
        """Replies of ours whose (next) sending attempt is due."""
        now = now or timezone.now()
        return self.filter(
            direction=LeadMessage.Direction.OUT,
            status=DeliveryStatus.PENDING,
            next_attempt_at__lte=now,
        )


class LeadMessage(models.Model):
    """One e-mail of the conversation with the buyer: received in the sales mailbox
    (read over IMAP, mailbox.py) or sent by the team from the lead (replies.py)."""

    class Direction(models.TextChoices):
        IN = "in", _("from the buyer")
        OUT = "out", _("to the buyer")

    class Match(models.TextChoices):
        HEADERS = "headers", _("answers one of our e-mails")
        SUBJECT = "subject", _("reference in the subject")
        SENDER = "sender", _("sender is the buyer")
        HAND = "hand", _("attached by hand")
        REPLY = "reply", _("our reply")

    inquiry = models.ForeignKey(
        Inquiry,
        verbose_name=_("inquiry"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="messages",
    )
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    matched_by = models.CharField(_("matched by"), max_length=8, choices=Match.choices, blank=True)
    created_at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    message_id = models.CharField(_("Message-ID"), max_length=255, unique=True)
    in_reply_to = models.CharField("In-Reply-To", max_length=255, blank=True)
    references = models.TextField("References", blank=True)
    from_address = models.CharField(_("from"), max_length=254, blank=True)
    from_name = models.CharField(_("sender's name"), max_length=200, blank=True)
    to = models.TextField(_("to"), blank=True)
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    text = models.TextField(_("text"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # A received message: where it sits in the mailbox (nothing there is ever deleted).
    mailbox = models.CharField(_("mailbox"), max_length=200, blank=True)
    uidvalidity = models.BigIntegerField(null=True, blank=True, editable=False)
    uid = models.BigIntegerField(null=True, blank=True, editable=False)
    ignored = models.BooleanField(_("dismissed"), default=False)
    automatic = models.BooleanField(
        _("automatic"),
        default=False,
        help_text=_("Sent by a program (out-of-office answer, delivery report), not a person."),
    )
    # A reply of ours: its delivery, like the inquiry's own e-mails (delivery.py).
    status = models.CharField(
        _("delivery"), max_length=8, choices=DeliveryStatus.choices, blank=True
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True, editable=False)

    objects = LeadMessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("e-mail")
        verbose_name_plural = _("e-mails")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["mailbox", "uidvalidity", "uid"],
                condition=Q(uid__isnull=False),
                name="lead_message_unique_imap_uid",
            )
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="lead_message_due_idx"),
        ]

    def __str__(self):
        return f"{self.get_direction_display()}: {self.subject}"


class LeadAttachment(models.Model):
    """A file that came with a received e-mail, kept in private storage."""

    message = models.ForeignKey(LeadMessage, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(storage=private_storage, upload_to="mail/%Y/%m/", max_length=255)
    filename = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("size"), default=0)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["pk"]

    def __str__(self):
        return self.filename


class ChatChannel(models.TextChoices):
    """The chat apps a product page hands a buyer over to."""

    WHATSAPP = "whatsapp", _("WhatsApp")


class ChatClick(models.Model):
    """How many buyers went from a product page to a chat with the sales team, per
    product, page, channel and day: a counter, nothing about the person who clicked
    (the chat itself happens in the buyer's app, out of the site's sight). The product
    is kept empty only once its page is deleted."""

    product = models.ForeignKey(
        "products.ProductPage",
        verbose_name=_("product"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    page_path = models.CharField(_("page"), max_length=255, blank=True)
    channel = models.CharField(_("channel"), max_length=20, choices=ChatChannel.choices)
    day = models.DateField(_("day"))
    count = models.PositiveIntegerField(_("clicks"), default=0)

    class Meta:
        verbose_name = _("chat click")
        verbose_name_plural = _("chat clicks")
        constraints = [
            models.UniqueConstraint(
                fields=["product", "page_path", "channel", "day"],
                name="chat_click_one_counter",
            )
        ]

    def __str__(self):
        return f"{self.channel} {self.page_path} {self.day}: {self.count}"


class MailboxState(models.Model):
    """How far the sales mailbox has been read: per folder, the UIDVALIDITY and the
    highest UID stored. A new UIDVALIDITY means the folder was rebuilt: it is read again
    from the start, and the unique Message-ID keeps anything from being attached twice."""

    mailbox = models.CharField(max_length=200, unique=True)
    uidvalidity = models.BigIntegerField(default=0)
    last_uid = models.BigIntegerField(default=0)
    checked_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    def __str__(self):
        return f"{self.mailbox} {self.uidvalidity}:{self.last_uid}"


def _delete_attachment_file(sender, instance, **kwargs):
    """An attachment's file goes with its row (a lead erased or purged, a message deleted)."""
    if instance.file:
        instance.file.delete(save=False)


models.signals.post_delete.connect(
    _delete_attachment_file, sender=LeadAttachment, dispatch_uid="lead-attachment-file"
)


def _delete_inquiry_file(sender, instance, **kwargs):
    """A buyer's file goes with its row once the deletion is committed (a purge or an
    erasure that is rolled back keeps the files of the leads it keeps)."""
    from django.db import transaction

    if instance.file:
        storage, name = instance.file.storage, instance.file.name
        transaction.on_commit(lambda: storage.delete(name))


models.signals.post_delete.connect(
    _delete_inquiry_file, sender=InquiryAttachment, dispatch_uid="inquiry-attachment-file"
)
