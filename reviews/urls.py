from django.urls import path

from reviews import views

app_name = "reviews"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("mine/", views.my_docs, name="my_docs"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
    path("<slug:slug>/", views.review_page, name="review"),
    path("<slug:slug>/submit/", views.submit, name="submit"),
    path("<slug:slug>/decide/", views.decide, name="decide"),
    path("<slug:slug>/transition/<str:transition>/", views.transition, name="transition"),
    path("<slug:slug>/comments/", views.comment_add, name="comment_add"),
    path(
        "<slug:slug>/comments/<int:pk>/<str:operation>/",
        views.comment_operation,
        name="comment_operation",
    ),
]
