"""Pages of the routine library: reading, searching, writing and approving."""
from datetime import timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.accounts.models import Unit, User
from app.accounts.permissions import access
from app.accounts.rules import Access
from app.accounts.scope import READING_FOLLOWERS, ROUTINE_WRITERS
from app.errors import DomainError
from app.extensions import db
from app.forms import EmptyForm, as_choices
from app.media.services import ImageRejected, stored_image_response
from app.routines import images, misses, reading, rules, search, services
from app.routines import proposals as routine_proposals
from app.routines.forms import (
    AnswerForm,
    ArchiveForm,
    DecisionForm,
    ProposalForm,
    RoutineForm,
    SubmitForm,
)
from app.routines.models import ChangeProposal, RoutineImage
from app.routines.rendering import body_difference, render_body
from app.timestamps import local_today
from app.views import render_page_or_fragment, wants_fragment

bp = Blueprint("routines", __name__, url_prefix="/rutiner")

SYNC_FETCH_HEADER = "X-Fickan-Sync"


def readable_or_404(slug: str):
    return services.readable_routine(current_user, slug) or abort(404)


def reviewable_or_404(slug: str):
    # 404, not 403: a draft in review is shown only to its owner, its approver and those who may edit it.
    routine = services.routine_by_slug(slug) or abort(404)
    if current_user.id not in (routine.owner_id, routine.approver_id) and not services.may_edit(current_user, routine):
        abort(404)
    return routine


def editable_or_404(slug: str):
    routine = services.routine_by_slug(slug) or abort(404)
    if not services.may_edit(current_user, routine):
        # 403 only for a routine the user sees anyway: for others, nothing tells that the slug exists.
        sees = current_user.id in (routine.owner_id, routine.approver_id) or services.readable_routine(
            current_user, slug) is not None
        abort(403 if sees else 404)
    return routine


@bp.get("")
@access(Access.SIGNED_IN)
def index():
    query = request.args.get("q", "").strip()
    if query:
        result = search.search(query, services.visible_scope_ids(current_user), limit=30, nearest=True)
        if result.nearest or not result.hits:
            misses.record_miss(query)
            db.session.commit()
        return render_page_or_fragment("routines/search.html", "routines/_results.html", query=query,
                                       hits=result.hits, result=result, kind_labels=rules.KIND_LABELS,
                                       slugs=services.slugs_of(hit.routine_id for hit in result.hits))
    routines = services.readable_routines(current_user)
    favourites = reading.favourite_ids(current_user)
    categories: dict[str, list] = {}
    for routine in routines:
        categories.setdefault(routine.category, []).append(routine)
    return render_template(
        "routines/index.html",
        query="",
        categories=categories,
        favourites=[routine for routine in routines if routine.id in favourites],
        recently_changed=reading.recently_changed(routines, local_today()),
        is_editor=current_user.role in ROUTINE_WRITERS,
    )


@bp.get("/<slug>")
@access(Access.SIGNED_IN)
def show(slug: str):
    routine = readable_or_404(slug)
    # The phone's background sync fetches pages too; only a person opening the routine counts.
    if request.headers.get(SYNC_FETCH_HEADER) != "1":
        reading.record_opening(current_user, routine)
        db.session.commit()
    version = routine.current_version
    return render_template(
        "routines/show.html",
        routine=routine,
        version=version,
        body=render_body(version.body_md, services.title_resolver(current_user)),
        previous=services.previous_published(routine),
        processes=services.processes_using(current_user, routine),
        confirmed=reading.has_confirmed(current_user, routine),
        is_favourite=routine.id in reading.favourite_ids(current_user),
        may_edit=services.may_edit(current_user, routine),
        sees_readers=current_user.role in READING_FOLLOWERS,
        proposal_form=ProposalForm(formdata=None),
        button_form=EmptyForm(),
        kind_labels=rules.KIND_LABELS,
        review_requests=routine_proposals.review_requests(current_user, routine),
    )


@bp.post("/<slug>/last")
@access(Access.SIGNED_IN)
def confirm_read(slug: str):
    routine = readable_or_404(slug)
    reading.confirm_read(current_user, routine)
    db.session.commit()
    if wants_fragment():
        return render_template("routines/_confirmed.html", routine=routine)
    flash("Tack! Du har bekräftat att du har läst rutinen.", "success")
    return redirect(url_for("routines.show", slug=slug), code=303)


@bp.post("/<slug>/favorit")
@access(Access.SIGNED_IN)
def favourite(slug: str):
    routine = readable_or_404(slug)
    is_favourite = request.form.get("favourite") == "1"
    reading.set_favourite(current_user, routine, is_favourite)
    db.session.commit()
    if wants_fragment():
        return render_template("routines/_favourite.html", routine=routine, is_favourite=is_favourite,
                               button_form=EmptyForm())
    return redirect(url_for("routines.show", slug=slug), code=303)


@bp.get("/<slug>/andringar")
@access(Access.SIGNED_IN)
def changes(slug: str):
    routine = readable_or_404(slug)
    previous = services.previous_published(routine)
    difference = body_difference(previous.body_md, routine.current_version.body_md) if previous else []
    return render_template("routines/changes.html", routine=routine, previous=previous, difference=difference)


@bp.get("/<slug>/historik")
@access(Access.SIGNED_IN)
def history(slug: str):
    routine = readable_or_404(slug)
    return render_template("routines/history.html", routine=routine, events=services.history(routine),
                           event_labels=rules.EVENT_LABELS, status_labels=rules.STATUS_LABELS)


@bp.post("/<slug>/forslag")
@access(Access.SIGNED_IN)
def propose(slug: str):
    routine = readable_or_404(slug)
    form = ProposalForm()
    if form.validate_on_submit():
        routine_proposals.propose_change(current_user, routine, form.text.data)
        db.session.commit()
        flash("Tack! Ditt förslag har skickats till rutinens ägare.", "success")
    else:
        flash("Skriv ditt förslag innan du skickar.", "error")
    return redirect(url_for("routines.show", slug=slug), code=303)


@bp.get("/<slug>/lasningar")
@access(*READING_FOLLOWERS)
def readers(slug: str):
    routine = readable_or_404(slug)
    statuses = reading.reading_status(current_user, routine)
    return render_template("routines/readers.html", routine=routine, statuses=statuses,
                           confirmed=sum(1 for status in statuses if status.confirmed_at))


@bp.get("/bilder/<int:image_id>")
@access(Access.SIGNED_IN)
def image(image_id: int):
    picture = db.session.get(RoutineImage, image_id) or abort(404)
    if not images.may_view_image(current_user, picture):
        abort(404)
    response = stored_image_response(images.image_path(picture), picture.content_type, max_age=86400)
    response.headers["Cache-Control"] = "private, max-age=86400"
    return response


# Writing and approval

def owner_choices():
    return as_choices((user.id, f"{user.display_name} ({user.title or user.role_label})")
                      for user in services.possible_owners())


def prepare_routine_form(form: RoutineForm) -> RoutineForm:
    scopes = services.editable_scopes(current_user)
    form.scope.choices = as_choices((unit.id if unit else 0, unit.name if unit else "Alla enheter (central rutin)")
                                    for unit in scopes)
    form.owner.choices = owner_choices()
    form.approver.choices = as_choices([(0, "– ingen –")]) + owner_choices()
    return form


def settings_from(form: RoutineForm) -> services.RoutineSettings:
    return services.RoutineSettings(
        kind=form.kind.data,
        category=form.category.data,
        scope_unit=db.session.get(Unit, form.scope.data) if form.scope.data else None,
        owner=db.session.get(User, form.owner.data) or abort(400),
        approver=db.session.get(User, form.approver.data) if form.approver.data else None,
        review_due_on=form.review_due_on.data,
    )


@bp.get("/hantera")
@access(*ROUTINE_WRITERS)
def manage():
    overdue = routine_proposals.overdue_reviews(current_user, local_today())
    return render_template(
        "routines/manage.html",
        waiting=routine_proposals.drafts_waiting_for(current_user),
        drafts=routine_proposals.open_drafts_of(current_user),
        overdue=overdue,
        reminders=routine_proposals.review_reminders(overdue),
        open_proposals=[p for p in routine_proposals.proposals_for(current_user) if p.answered_at is None],
        status_labels=rules.STATUS_LABELS,
    )


@bp.route("/ny", methods=["GET", "POST"])
@access(*ROUTINE_WRITERS)
def new():
    form = prepare_routine_form(RoutineForm())
    if request.method == "GET":
        form.owner.data = current_user.id
        form.review_due_on.data = local_today() + timedelta(days=365)
    if form.validate_on_submit():
        try:
            routine = services.create_routine(current_user, settings_from(form), title=form.title.data,
                                              tags=form.tags.data or "", body_md=form.body_md.data or "")
            db.session.commit()
        except DomainError as error:
            db.session.rollback()
            form.form_errors.append(str(error))
        else:
            flash("Utkastet är sparat. Skicka det för godkännande när det är klart.", "success")
            return redirect(url_for("routines.edit", slug=routine.slug), code=303)
    return render_template("routines/edit.html", form=form, routine=None, draft=None,
                           preview=render_body(form.body_md.data or "", services.title_resolver(current_user)),
                           submit_form=SubmitForm(formdata=None)), 422 if form.errors or form.form_errors else 200


@bp.route("/<slug>/redigera", methods=["GET", "POST"])
@access(*ROUTINE_WRITERS)
def edit(slug: str):
    routine = editable_or_404(slug)
    draft = services.open_draft(routine)
    source = draft or routine.current_version
    form = prepare_routine_form(RoutineForm(formdata=request.form if request.method == "POST" else None))
    if request.method == "GET":
        form.title.data, form.tags.data, form.body_md.data = source.title, ", ".join(source.tags), source.body_md
        form.kind.data, form.category.data = routine.kind, routine.category
        form.scope.data, form.owner.data = routine.scope_unit_id or 0, routine.owner_id
        form.approver.data, form.review_due_on.data = routine.approver_id or 0, routine.review_due_on
    if request.method == "POST" and form.validate():
        try:
            services.edit_routine(current_user, routine, settings_from(form), title=form.title.data,
                                  tags=form.tags.data or "", body_md=form.body_md.data or "")
            db.session.commit()
        except DomainError as error:
            db.session.rollback()  # the settings and the text are saved together or not at all
            form.form_errors.append(str(error))
        else:
            flash("Utkastet är sparat.", "success")
            return redirect(url_for("routines.edit", slug=slug), code=303)
    status = 422 if form.errors or form.form_errors else 200
    return render_template("routines/edit.html", form=form, routine=routine, draft=draft,
                           preview=render_body(form.body_md.data or "", services.title_resolver(current_user)),
                           submit_form=SubmitForm(formdata=None), status_labels=rules.STATUS_LABELS), status


@bp.post("/forhandsgranska")
@access(*ROUTINE_WRITERS)
def preview():
    return render_template("routines/_preview.html",
                           preview=render_body(request.form.get("body_md", ""), services.title_resolver(current_user)))


@bp.post("/<slug>/skicka")
@access(*ROUTINE_WRITERS)
def submit(slug: str):
    routine = editable_or_404(slug)
    form = SubmitForm()
    try:
        services.submit_for_review(current_user, routine, form.change_summary.data or "",
                                   important=bool(form.important_change.data))
        db.session.commit()
    except DomainError as error:
        flash(str(error), "error")
        return redirect(url_for("routines.edit", slug=slug), code=303)
    flash("Utkastet är skickat för godkännande.", "success")
    return redirect(url_for("routines.manage"), code=303)


@bp.get("/<slug>/granska")
@access(*ROUTINE_WRITERS)
def review(slug: str):
    routine = reviewable_or_404(slug)
    draft = services.open_draft(routine)
    if draft is None or draft.status != rules.VersionStatus.IN_REVIEW:
        abort(404)
    current = routine.current_version
    return render_template(
        "routines/review.html", routine=routine, draft=draft,
        body=render_body(draft.body_md, services.title_resolver(current_user)),
        difference=body_difference(current.body_md, draft.body_md) if current else [],
        problem=rules.approval_problem(current_user.id, draft.author_id, routine.owner_id, routine.approver_id),
        form=DecisionForm(formdata=None),
    )


@bp.post("/<slug>/granska")
@access(*ROUTINE_WRITERS)
def decide(slug: str):
    routine = reviewable_or_404(slug)
    form = DecisionForm()
    try:
        if request.form.get("decision") == "approve":
            version = services.approve(current_user, routine, form.comment.data or "")
            db.session.commit()
            services.tell_readers(current_user, routine, version)
            flash("Ändringen är godkänd och publicerad.", "success")
            return redirect(url_for("routines.show", slug=slug), code=303)
        services.return_for_changes(current_user, routine, form.comment.data or "")
        db.session.commit()
        flash("Utkastet är skickat tillbaka till författaren.", "success")
    except services.NotAllowed:
        abort(403)
    except DomainError as error:
        db.session.rollback()  # the decision was written before publishing refused (a title in use)
        flash(str(error), "error")
        return redirect(url_for("routines.review", slug=slug), code=303)
    return redirect(url_for("routines.manage"), code=303)


@bp.route("/<slug>/arkivera", methods=["GET", "POST"])
@access(*ROUTINE_WRITERS)
def archive(slug: str):
    routine = editable_or_404(slug)
    form = ArchiveForm()
    if form.validate_on_submit():
        services.archive(current_user, routine, form.reason.data)
        db.session.commit()
        flash("Rutinen är arkiverad. Den finns kvar i historiken.", "success")
        return redirect(url_for("routines.manage"), code=303)
    return render_template("routines/archive.html", routine=routine, form=form)


@bp.post("/bilder")
@access(*ROUTINE_WRITERS)
def upload_image():
    upload = request.files.get("image")
    if upload is None or not upload.filename:
        return render_template("routines/_image_uploaded.html", error="Välj en bild."), 400
    try:
        picture = images.store_routine_image(current_user, upload.read())
        db.session.commit()
    except ImageRejected as error:
        return render_template("routines/_image_uploaded.html", error=str(error)), 400
    return render_template("routines/_image_uploaded.html", image=picture), 201


@bp.get("/forslag")
@access(*ROUTINE_WRITERS)
def proposals():
    return render_template("routines/proposals.html", proposals=routine_proposals.proposals_for(current_user),
                           form=AnswerForm(formdata=None))


@bp.post("/forslag/<int:proposal_id>")
@access(*ROUTINE_WRITERS)
def answer(proposal_id: int):
    proposal = db.session.get(ChangeProposal, proposal_id) or abort(404)
    form = AnswerForm()
    try:
        routine_proposals.answer_proposal(current_user, proposal, form.answer.data or "")
        db.session.commit()
    except services.NotAllowed:
        abort(403)
    except DomainError as error:
        flash(str(error), "error")
    else:
        flash("Svaret är sparat.", "success")
    return redirect(url_for("routines.proposals"), code=303)
