from django.urls import path

from shelters import views, views_placements

app_name = "shelters"

urlpatterns = [
    path("", views.board, name="board"),
    path("board/rows/", views.board_rows, name="board_rows"),
    path("board.csv", views.board_csv, name="board_csv"),
    path("mine/", views_placements.my_shelter, name="my_shelter"),
    path("new/", views.shelter_new, name="shelter_new"),
    path("holds/", views_placements.my_holds, name="my_holds"),
    path("holds/<uuid:hold_id>/release/", views_placements.hold_release, name="hold_release"),
    path("holds/<uuid:hold_id>/confirm/", views_placements.hold_confirm, name="hold_confirm"),
    path("turn-aways/", views.turn_aways, name="turn_aways"),
    path("beds/<uuid:bed_id>/toggle/", views_placements.bed_toggle, name="bed_toggle"),
    path("beds/<uuid:bed_id>/admit/", views_placements.bed_admit, name="bed_admit"),
    path("stays/<uuid:stay_id>/discharge/", views_placements.stay_discharge, name="stay_discharge"),
    path("stays/<uuid:stay_id>/edit/", views_placements.stay_edit, name="stay_edit"),
    path("<uuid:shelter_id>/", views_placements.grid, name="grid"),
    path("<uuid:shelter_id>/hold/", views_placements.hold_place, name="hold_place"),
    path("<uuid:shelter_id>/setup/", views.shelter_setup, name="shelter_setup"),
    path("<uuid:shelter_id>/setup/rooms/", views.room_add, name="room_add"),
    path("<uuid:shelter_id>/setup/beds/", views.bed_add, name="bed_add"),
]
