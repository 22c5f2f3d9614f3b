"""marshmallow schemas of the sync API."""
from marshmallow import EXCLUDE, Schema, fields


class RoutineChangeSchema(Schema):
    id = fields.Integer()
    slug = fields.String()
    title = fields.String()
    kind = fields.String()
    category = fields.String()
    version = fields.Integer()
    tags = fields.List(fields.String())
    url = fields.String()
    updated_at = fields.AwareDateTime()


class SynonymSchema(Schema):
    word = fields.String()
    means = fields.String()


class RoutineChangesSchema(Schema):
    routines = fields.List(fields.Nested(RoutineChangeSchema))
    synonyms = fields.List(fields.Nested(SynonymSchema))
    removed = fields.List(fields.Integer())
    token = fields.String()
    full = fields.Boolean()


class ChangesQuerySchema(Schema):
    class Meta:
        unknown = EXCLUDE  # cache-busting parameters and the like

    since = fields.String(load_default=None)
