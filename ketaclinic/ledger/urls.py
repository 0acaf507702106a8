from django.urls import path, re_path

from ketaclinic.ledger.views import draws, records, stock

app_name = "ledger"
urlpatterns = [
    path("", stock.home, name="home"),
    path("sealed/", stock.sealed_stock, name="sealed"),
    path("products/", stock.products, name="products"),
    path("receive/", stock.receive, name="receive"),
    path("receipts/<int:receipt_id>/", stock.receipt, name="receipt"),
    path("containers/<int:container_id>/", stock.container, name="container"),
    path("containers/<int:container_id>/open/", stock.open_container, name="open"),
    path("containers/<int:container_id>/draw/", draws.draw, name="draw"),
    re_path(r"^containers/(?P<container_id>\d+)/(?P<action>waste|return|dispose|loss|transfer)/$", stock.container_action, name="container_action"),
    path("stock/<int:stock_id>/settings/", stock.stock_settings, name="stock_settings"),
    path("draws/<int:entry_id>/", draws.draw_detail, name="draw_detail"),
    path("draws/<int:entry_id>/administer/", draws.administer, name="administer"),
    path("draws/<int:entry_id>/waste/", draws.waste, name="waste"),
    path("entries/", records.entries, name="entries"),
    path("entries/<int:entry_id>/", records.entry, name="entry"),
    path("counts/", records.counts, name="counts"),
    path("counts/new/", records.count_new, name="count_new"),
    path("counts/<int:count_id>/", records.count, name="count"),
    path("cases/", records.cases, name="cases"),
    path("cases/<int:case_id>/", records.case, name="case"),
    path("reports/", records.report, name="report"),
    re_path(r"^reports/reconciliation\.(?P<fmt>csv|pdf)$", records.report_download, name="report_download"),
]
