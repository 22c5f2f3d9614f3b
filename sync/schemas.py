"""marshmallow schemas of the sync API."""
from marshmallow import EXCLUDE, Schema, fields


class RoutineChangeSchema(Schema):
    id = fields.Integer()
    slug = fields.String()
    title = fields.String()
    kind = fields.String()
    category = fields.String()
    unit = fields.String(allow_none=True)  # None: a central routine
    version = fields.Integer()
    tags = fields.List(fields.String())
    url = fields.String()
    updated_at = fields.AwareDateTime()
    search = fields.Dict(allow_none=True)  # SearchIndex.phone_document()


class SynonymSchema(Schema):
    word = fields.String()
    means = fields.String()


class RoutineChangesSchema(Schema):
    routines = fields.List(fields.Nested(RoutineChangeSchema))
    synonyms = fields.List(fields.Nested(SynonymSchema))  # left out when the phone holds this version
    synonyms_version = fields.String()
    removed = fields.List(fields.Integer())
    token = fields.String()
    full = fields.Boolean()


class ChangesQuerySchema(Schema):
    class Meta:
        unknown = EXCLUDE  # cache-busting parameters and the like

    since = fields.String(load_default=None)
    # The synonym list's version the phone holds (an earlier answer's synonyms_version); none: send the list.
    synonyms_version = fields.String(load_default=None)


class ReportReceiptSchema(Schema):
    """The answer to POST /api/v1/reports: the same body for the first send and every replay."""

    uuid = fields.String()
    id = fields.Integer()
    status = fields.String()
    warnings = fields.List(fields.Dict())


class OwnReportSchema(Schema):
    """One of the reporter's own reports in GET /api/v1/reports/mine."""

    uuid = fields.String()
    id = fields.Integer()
    text = fields.String()
    status = fields.String()
    status_label = fields.String()
    feedback = fields.String(allow_none=True)
    unit = fields.Dict()
    created_at = fields.AwareDateTime()
    occurred_at = fields.AwareDateTime()
    received_at = fields.AwareDateTime()
    photo_count = fields.Integer()


class OwnReportsSchema(Schema):
    reports = fields.List(fields.Nested(OwnReportSchema))


class ReportPhotoLinkSchema(Schema):
    number = fields.Integer()
    url = fields.String()
    thumbnail_url = fields.String()
    width = fields.Integer()
    height = fields.Integer()
    content_type = fields.String()


class ReportDetailSchema(OwnReportSchema):
    """GET /api/v1/reports/<uuid>; `reporter`, `kinds` and `suggested_kinds` only for those who handle it."""

    affected = fields.List(fields.String())
    harm = fields.String()
    topics = fields.List(fields.String())
    place = fields.String()
    client_reference = fields.String()
    immediate_action = fields.String()
    bypass_manager = fields.Boolean()
    photos = fields.List(fields.Nested(ReportPhotoLinkSchema))
    warnings = fields.List(fields.Dict())
    reporter = fields.Dict()
    kinds = fields.List(fields.Dict())
    suggested_kinds = fields.List(fields.Dict())
