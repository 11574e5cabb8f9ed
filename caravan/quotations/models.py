"""A quotation: what the supplier offers a lead's buyer (lines, prices, terms), numbered
per year (QT-2026-0001), kept in every revision (QT-2026-0001-R2), with the e-mails it
causes and their delivery state."""

import uuid
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from caravan.inquiries.models import DeliveryStatus

from .wording import CURRENCY_CHOICES, CURRENCY_DECIMALS, Incoterm, Unit

HUNDRED = Decimal(100)


def quantize(amount, currency):
    """`amount` rounded half up to the minor unit of `currency` (cents, or whole yen)."""
    places = CURRENCY_DECIMALS.get(currency, 2)
    return Decimal(amount).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


class QuotationCounter(models.Model):
    """The last number given out in a year. Its row is locked while a quotation is
    numbered, so two people quoting at once get consecutive numbers, none twice, and a
    transaction that fails takes its number back with it (no gaps)."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.year}: {self.last}"


class Status(models.TextChoices):
    DRAFT = "draft", _("draft")
    SENT = "sent", _("sent")
    ACCEPTED = "accepted", _("accepted")
    CHANGES = "changes", _("changes asked for")
    REVISED = "revised", _("replaced by a revision")


class QuotationQuerySet(models.QuerySet):
    def for_buyer(self):
        """What a buyer may see: quotations that were sent (drafts never)."""
        return self.exclude(status=Status.DRAFT)


class Quotation(models.Model):
    """One revision of a quotation to a lead. Revisions of one quotation share its year,
    sequence and `public_id` (the buyer's link); only the latest is open to change."""

    inquiry = models.ForeignKey(
        "inquiries.Inquiry",
        verbose_name=_("lead"),
        on_delete=models.CASCADE,
        related_name="quotations",
    )
    year = models.PositiveSmallIntegerField(_("year"), editable=False)
    sequence = models.PositiveIntegerField(_("sequence"), editable=False)
    revision = models.PositiveSmallIntegerField(_("revision"), default=1, editable=False)
    public_id = models.UUIDField(default=uuid.uuid4, editable=False, db_index=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    language = models.CharField(_("buyer's language"), max_length=10)

    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCY_CHOICES)
    discount_percent = models.DecimalField(
        _("discount on the whole quotation (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(HUNDRED)],
    )
    incoterm = models.CharField(_("Incoterm"), max_length=3, choices=Incoterm.choices)
    incoterm_place = models.CharField(
        _("named place"), max_length=200, help_text=_("E.g. Shanghai port, or the buyer's city.")
    )
    payment_terms = models.CharField(
        _("payment terms"),
        max_length=300,
        blank=True,
        help_text=_("E.g. 30 % T/T deposit, balance before shipment; or L/C at sight."),
    )
    lead_time = models.CharField(
        _("lead time"), max_length=200, blank=True, help_text=_("E.g. 25 days after deposit.")
    )
    packaging = models.CharField(_("packaging"), max_length=300, blank=True)
    valid_until = models.DateField(_("valid until"))
    notes = models.TextField(_("notes"), blank=True, max_length=5000)

    subtotal = models.DecimalField(_("subtotal"), max_digits=18, decimal_places=3, default=0)
    discount_amount = models.DecimalField(_("discount"), max_digits=18, decimal_places=3, default=0)
    total = models.DecimalField(_("total"), max_digits=18, decimal_places=3, default=0)

    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by_name = models.CharField(_("accepted by"), max_length=200, blank=True)
    purchase_order = models.CharField(_("purchase order number"), max_length=100, blank=True)

    objects = QuotationQuerySet.as_manager()

    class Meta:
        verbose_name = _("quotation")
        verbose_name_plural = _("quotations")
        ordering = ["-year", "-sequence", "-revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "sequence", "revision"], name="quotation_number_unique"
            )
        ]

    def __str__(self):
        return self.number

    @property
    def base_number(self):
        return f"QT-{self.year}-{self.sequence:04d}"

    @property
    def number(self):
        """QT-2026-0001, and from the second revision on QT-2026-0001-R2."""
        return self.base_number + (f"-R{self.revision}" if self.revision > 1 else "")

    def revisions(self):
        """Every revision of this quotation, newest first."""
        return Quotation.objects.filter(year=self.year, sequence=self.sequence).order_by(
            "-revision"
        )

    def previous_revision(self):
        if self.revision <= 1:
            return None
        return self.revisions().filter(revision__lt=self.revision).first()

    @property
    def decimals(self):
        return CURRENCY_DECIMALS.get(self.currency, 2)

    def is_expired(self, today=None):
        today = today or timezone.localdate()
        return self.status not in (Status.ACCEPTED, Status.DRAFT) and self.valid_until < today

    @property
    def is_open(self):
        """The buyer can still accept it or ask for changes."""
        return self.status in (Status.SENT, Status.CHANGES) and not self.is_expired()

    def compute_totals(self, lines):
        """Set subtotal, discount and total from `lines` (each line's net amount)."""
        subtotal = sum((line.amount(self.currency) for line in lines), Decimal(0))
        self.subtotal = quantize(subtotal, self.currency)
        self.discount_amount = quantize(
            self.subtotal * self.discount_percent / HUNDRED, self.currency
        )
        self.total = self.subtotal - self.discount_amount

    def money(self, amount):
        return quantize(amount, self.currency)

    def pdf(self):
        """The quotation as a PDF document in the buyer's language (bytes)."""
        from .documents import quotation_pdf

        return quotation_pdf(self)

    def proforma_pdf(self):
        from .documents import proforma_pdf

        return proforma_pdf(self)

    def buyer_url(self, full=True):
        """The buyer's link: signed, unguessable, in the buyer's language."""
        from .links import buyer_url

        return buyer_url(self, full=full)

    def latest_email(self, kind=None):
        emails = self.emails.all()
        if kind:
            emails = emails.filter(kind=kind)
        return emails.order_by("-created_at", "-pk").first()


class QuotationLine(models.Model):
    """One line of a quotation: what, how many, at which price."""

    quotation = models.ForeignKey(Quotation, on_delete=models.CASCADE, related_name="lines")
    sort_order = models.PositiveSmallIntegerField(default=0)
    product = models.ForeignKey(
        "products.ProductPage",
        verbose_name=_("product"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    description = models.CharField(_("description"), max_length=500)
    quantity = models.DecimalField(
        _("quantity"),
        max_digits=14,
        decimal_places=3,
        validators=[MinValueValidator(Decimal("0.001"))],
    )
    unit = models.CharField(_("unit"), max_length=4, choices=Unit.choices, default=Unit.PIECES)
    unit_price = models.DecimalField(
        _("unit price"),
        max_digits=16,
        decimal_places=4,
        validators=[MinValueValidator(Decimal(0))],
    )
    discount_percent = models.DecimalField(
        _("discount (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(HUNDRED)],
    )

    class Meta:
        ordering = ["sort_order", "pk"]

    def __str__(self):
        return self.description

    def amount(self, currency):
        """The line's net amount: quantity × unit price less its discount, rounded."""
        gross = self.quantity * self.unit_price
        return quantize(gross - gross * self.discount_percent / HUNDRED, currency)


class QuotationEmail(models.Model):
    """One e-mail a quotation causes, stored before it is sent (the outbox): the
    quotation to the buyer, or the news of the buyer's answer to the lead's assignee.
    Sent by the task worker, retried with back-off; its row is the delivery state."""

    class Kind(models.TextChoices):
        TO_BUYER = "to_buyer", _("quotation to the buyer")
        ACCEPTED = "accepted", _("acceptance to the sales team")
        CHANGES = "changes", _("request for changes to the sales team")

    quotation = models.ForeignKey(Quotation, on_delete=models.CASCADE, related_name="emails")
    kind = models.CharField(_("e-mail"), max_length=10, choices=Kind.choices)
    created_at = models.DateTimeField(default=timezone.now)
    text = models.TextField(blank=True, max_length=5000)
    status = models.CharField(
        _("state"),
        max_length=8,
        choices=DeliveryStatus.choices,
        default=DeliveryStatus.PENDING,
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    lease_owner = models.CharField(max_length=32, blank=True, editable=False)
    lease_until = models.DateTimeField(null=True, blank=True, editable=False)
    task_id = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="quotation_email_due_idx")
        ]

    def __str__(self):
        return f"{self.quotation} {self.kind}"
