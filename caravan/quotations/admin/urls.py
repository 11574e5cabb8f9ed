from django.urls import path

from caravan.inquiries.admin.permissions import VIEW, require

from .. import reports
from . import views

app_name = "quotations_admin"
urlpatterns = [
    path("new/<int:inquiry_pk>/", views.new_view, name="new"),
    path("<int:pk>/", views.detail_view, name="detail"),
    path("<int:pk>/edit/", views.edit_view, name="edit"),
    path("<int:pk>/send/", views.send_view, name="send"),
    path("<int:pk>/resend/", views.resend_view, name="resend"),
    path("<int:pk>/pdf/", views.pdf_view, name="pdf"),
    path("<int:pk>/proforma/", views.proforma_view, name="proforma"),
    path("report/", require(VIEW)(reports.quotations_report_view), name="report"),
]
