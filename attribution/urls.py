from django.urls import path

from attribution import views

urlpatterns = [
    path("", views.article_list, name="article-list"),
    path("articles/<str:slug>/", views.article_detail, name="article-detail"),
]
