from django.urls import path

from shelters import views

app_name = "shelters"

urlpatterns = [
    path("", views.board, name="board"),
    path("board/rows/", views.board_rows, name="board_rows"),
    path("board.csv", views.board_csv, name="board_csv"),
    path("mine/", views.my_shelter, name="my_shelter"),
    path("new/", views.shelter_new, name="shelter_new"),
    path("holds/", views.my_holds, name="my_holds"),
    path("holds/<uuid:hold_id>/release/", views.hold_release, name="hold_release"),
    path("holds/<uuid:hold_id>/confirm/", views.hold_confirm, name="hold_confirm"),
    path("turn-aways/", views.turn_aways, name="turn_aways"),
    path("beds/<uuid:bed_id>/toggle/", views.bed_toggle, name="bed_toggle"),
    path("beds/<uuid:bed_id>/admit/", views.bed_admit, name="bed_admit"),
    path("stays/<uuid:stay_id>/discharge/", views.stay_discharge, name="stay_discharge"),
    path("stays/<uuid:stay_id>/edit/", views.stay_edit, name="stay_edit"),
    path("<uuid:shelter_id>/", views.grid, name="grid"),
    path("<uuid:shelter_id>/hold/", views.hold_place, name="hold_place"),
    path("<uuid:shelter_id>/setup/", views.shelter_setup, name="shelter_setup"),
    path("<uuid:shelter_id>/setup/rooms/", views.room_add, name="room_add"),
    path("<uuid:shelter_id>/setup/beds/", views.bed_add, name="bed_add"),
]
