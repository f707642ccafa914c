from django.urls import path

from actionplans.views import across, programmes, reviews, rounds

app_name = "actionplans"
urlpatterns = [
    path("programmes/", programmes.programme_list, name="programme_list"),
    path("programmes/<int:pk>/", programmes.programme_detail, name="programme_detail"),
    path("programmes/<int:pk>/drafts/new/", programmes.draft_upload, name="draft_upload"),
    path("programmes/<int:pk>/measures/new/", programmes.measure_create, name="measure_create"),
    path("programmes/<int:pk>/submit/", programmes.programme_submit, name="programme_submit"),
    path("programmes/<int:pk>/reopen/", programmes.programme_reopen, name="programme_reopen"),
    path("programmes/<int:pk>/share/", programmes.programme_share, name="programme_share"),
    path("programmes/<int:pk>/notes/", programmes.draft_note_add, name="draft_note_add"),
    path("drafts/<int:pk>/download/", programmes.draft_download, name="draft_download"),
    path("measures/<int:pk>/edit/", programmes.measure_update, name="measure_update"),
    path("measures/<int:pk>/delete/", programmes.measure_delete, name="measure_delete"),
    path("programmes/<int:pk>/extension/", rounds.extension_request, name="extension_request"),
    path("rounds/<int:pk>/", rounds.round_detail, name="round_detail"),
    path("rounds/<int:pk>/extend/", rounds.round_extend, name="round_extend"),
    path("rounds/<int:pk>/reminder-steps/", rounds.round_steps, name="round_steps"),
    path("extensions/", rounds.extension_list, name="extension_list"),
    path("extensions/<int:pk>/decide/", rounds.extension_decide, name="extension_decide"),
    path("reminders/", rounds.reminder_log, name="reminder_log"),
    path("review/", across.review_grid, name="review_grid"),
    path("review/totals/", across.effect_totals, name="effect_totals"),
    path("review/similar/", across.similar_measures, name="similar_measures"),
    path("review/themes/<slug:theme>/", reviews.review_queue, name="review_queue"),
    path("review/themes/<slug:theme>/compare/", across.theme_compare, name="theme_compare"),
    path("programmes/<int:pk>/review/", across.cross_review, name="cross_review"),
    path("programmes/<int:pk>/review/links/", across.measure_link, name="measure_link"),
    path("programmes/<int:pk>/review/<slug:theme>/", reviews.review_detail, name="review_detail"),
    path("programmes/<int:pk>/review/<slug:theme>/save/", reviews.review_save, name="review_save"),
    path("programmes/<int:pk>/review/<slug:theme>/comments/", reviews.comment_add, name="comment_add"),
    path("measures/<int:pk>/candidate/", reviews.measure_candidate, name="measure_candidate"),
    path("comments/<int:pk>/reply/", reviews.comment_reply, name="comment_reply"),
    path("comments/<int:pk>/resolve/", reviews.comment_resolve, name="comment_resolve"),
    path("drafts/<int:pk>/view/", reviews.draft_inline, name="draft_inline"),
]
