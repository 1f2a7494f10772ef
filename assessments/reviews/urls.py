from django.urls import path

from . import views

urlpatterns = [
    path("reviews/", views.review_queue, name="review-queue"),
    path("reviews/dashboard/", views.review_dashboard, name="review-dashboard"),
    path("reviews/<uuid:review_uuid>/", views.review_detail, name="review-detail"),
    path("reviews/<uuid:review_uuid>/decide/", views.review_decide, name="review-decide"),
    path("reviews/<uuid:review_uuid>/acknowledge/", views.review_acknowledge, name="review-acknowledge"),
    path("notifications/", views.notification_list, name="notification-list"),
    path("notifications/read-all/", views.notifications_read_all, name="notification-read-all"),
    path("notifications/<uuid:notification_uuid>/", views.notification_open, name="notification-open"),
]
