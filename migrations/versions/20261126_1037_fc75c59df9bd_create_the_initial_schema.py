"""Create the initial schema

Revision ID: fc75c59df9bd
Revises: 
Create Date: 2026-11-26 10:37:51.982957+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'fc75c59df9bd'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table('ratings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('label', sa.String(length=60), nullable=False),
    sa.Column('truth_value', sa.Float(), nullable=True),
    sa.Column('colour', sa.String(length=7), nullable=False),
    sa.Column('claimreview_value', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('is_active', sa.Boolean(), server_default='1', nullable=False),
    sa.CheckConstraint('truth_value IS NULL OR (truth_value >= 0 AND truth_value <= 1)', name=op.f('ck_ratings_truth_value_range')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ratings')),
    sa.UniqueConstraint('key', name=op.f('uq_ratings_key'))
    )
    op.create_table('sources',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('person', 'outlet', 'organisation', 'government', 'unnamed', name='kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('domain', sa.String(length=253), nullable=True),
    sa.Column('same_as', sa.String(length=500), nullable=True),
    sa.Column('prior_alpha', sa.Float(), nullable=True),
    sa.Column('prior_beta', sa.Float(), nullable=True),
    sa.Column('prior_note', sa.Text(), nullable=True),
    sa.Column('merged_into_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.CheckConstraint('(prior_alpha IS NULL AND prior_beta IS NULL) OR (prior_alpha > 0 AND prior_beta > 0)', name=op.f('ck_sources_prior_positive')),
    sa.ForeignKeyConstraint(['merged_into_id'], ['sources.id'], name=op.f('fk_sources_merged_into_id_sources')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sources')),
    sa.UniqueConstraint('domain', name=op.f('uq_sources_domain'))
    )
    with op.batch_alter_table('sources', schema=None) as batch_op:
        batch_op.create_index('ix_sources_name', ['name'], unique=False)

    op.create_table('throttles',
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('window_start', sa.DateTime(timezone=True), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_throttles'))
    )
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('display_name', sa.String(length=120), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('is_active', sa.Boolean(), server_default='1', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_login_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('failed_logins', sa.Integer(), server_default='0', nullable=False),
    sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('email', name=op.f('uq_users_email'))
    )
    op.create_table('articles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('url', sa.String(length=2000), nullable=True),
    sa.Column('outlet_id', sa.Integer(), nullable=True),
    sa.Column('published_on', sa.Date(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('dropped', sa.JSON(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_articles_created_by_id_users')),
    sa.ForeignKeyConstraint(['outlet_id'], ['sources.id'], name=op.f('fk_articles_outlet_id_sources')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_articles')),
    sa.UniqueConstraint('content_hash', name=op.f('uq_articles_content_hash'))
    )
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_articles_outlet_id'), ['outlet_id'], unique=False)

    op.create_table('source_aliases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], name=op.f('fk_source_aliases_source_id_sources'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_source_aliases')),
    sa.UniqueConstraint('key', name=op.f('uq_source_aliases_key'))
    )
    with op.batch_alter_table('source_aliases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_source_aliases_source_id'), ['source_id'], unique=False)

    op.create_table('source_records',
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('capacity', sa.String(length=8), nullable=False),
    sa.Column('rating_id', sa.Integer(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.CheckConstraint("capacity IN ('claimant', 'relay')", name=op.f('ck_source_records_capacity')),
    sa.CheckConstraint('count >= 0', name=op.f('ck_source_records_count_not_negative')),
    sa.ForeignKeyConstraint(['rating_id'], ['ratings.id'], name=op.f('fk_source_records_rating_id_ratings')),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], name=op.f('fk_source_records_source_id_sources'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('source_id', 'capacity', 'rating_id', name=op.f('pk_source_records'))
    )
    op.create_table('user_roles',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.Enum('checker', 'reviewer', 'editor', 'admin', name='role', native_enum=False, create_constraint=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_roles_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'role', name=op.f('pk_user_roles'))
    )
    op.create_table('check_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=True),
    sa.Column('span_start', sa.Integer(), nullable=True),
    sa.Column('span_end', sa.Integer(), nullable=True),
    sa.Column('claim_text', sa.Text(), nullable=False),
    sa.Column('restatement', sa.Text(), nullable=True),
    sa.Column('claimant_id', sa.Integer(), nullable=True),
    sa.Column('hedges', sa.JSON(), nullable=False),
    sa.Column('dates', sa.JSON(), nullable=False),
    sa.Column('status', sa.Enum('claim', 'evidence', 'verdict', 'published', 'dismissed', name='status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('assignee_id', sa.Integer(), nullable=True),
    sa.Column('priority', sa.Float(), nullable=False),
    sa.Column('checkworthiness', sa.Float(), nullable=False),
    sa.Column('origin', sa.String(length=20), nullable=False),
    sa.Column('external_ref', sa.String(length=200), nullable=True),
    sa.Column('lease_user_id', sa.Integer(), nullable=True),
    sa.Column('lease_expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('status_changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("status <> 'claim' OR assignee_id IS NULL", name=op.f('ck_check_items_claim_unassigned')),
    sa.CheckConstraint('(span_start IS NULL AND span_end IS NULL) OR (span_start >= 0 AND span_end > span_start)', name=op.f('ck_check_items_span_valid')),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_check_items_article_id_articles')),
    sa.ForeignKeyConstraint(['assignee_id'], ['users.id'], name=op.f('fk_check_items_assignee_id_users')),
    sa.ForeignKeyConstraint(['claimant_id'], ['sources.id'], name=op.f('fk_check_items_claimant_id_sources')),
    sa.ForeignKeyConstraint(['lease_user_id'], ['users.id'], name=op.f('fk_check_items_lease_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_check_items')),
    sa.UniqueConstraint('external_ref', name=op.f('uq_check_items_external_ref'))
    )
    with op.batch_alter_table('check_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_check_items_article_id'), ['article_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_check_items_assignee_id'), ['assignee_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_check_items_claimant_id'), ['claimant_id'], unique=False)
        batch_op.create_index('ix_check_items_status_priority', ['status', 'priority', 'status_changed_at'], unique=False)

    op.create_table('audit_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=True),
    sa.Column('entity', sa.String(length=20), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=30), nullable=False),
    sa.Column('from_status', sa.String(length=16), nullable=True),
    sa.Column('to_status', sa.String(length=16), nullable=True),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_audit_events_actor_id_users')),
    sa.ForeignKeyConstraint(['item_id'], ['check_items.id'], name=op.f('fk_audit_events_item_id_check_items')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_events'))
    )
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.create_index('ix_audit_events_entity', ['entity', 'entity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_events_item_id'), ['item_id'], unique=False)

    op.create_table('chain_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('verb', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['check_items.id'], name=op.f('fk_chain_links_item_id_check_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], name=op.f('fk_chain_links_source_id_sources')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_chain_links')),
    sa.UniqueConstraint('item_id', 'position', name=op.f('uq_chain_links_item_id_position'))
    )
    with op.batch_alter_table('chain_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_chain_links_source_id'), ['source_id'], unique=False)

    op.create_table('evidence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('url', sa.String(length=2000), nullable=True),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('passage', sa.Text(), nullable=True),
    sa.Column('source_id', sa.Integer(), nullable=True),
    sa.Column('stance', sa.Enum('supports', 'refutes', 'context', name='stance', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('is_anonymous', sa.Boolean(), nullable=False),
    sa.Column('is_off_record', sa.Boolean(), nullable=False),
    sa.Column('added_by_id', sa.Integer(), nullable=True),
    sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['added_by_id'], ['users.id'], name=op.f('fk_evidence_added_by_id_users')),
    sa.ForeignKeyConstraint(['item_id'], ['check_items.id'], name=op.f('fk_evidence_item_id_check_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], name=op.f('fk_evidence_source_id_sources')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evidence'))
    )
    with op.batch_alter_table('evidence', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evidence_item_id'), ['item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_evidence_source_id'), ['source_id'], unique=False)

    op.create_table('item_relations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('type', sa.Enum('denies', 'supports', 'repeats', name='type', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('item_id <> target_id', name=op.f('ck_item_relations_not_self')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_item_relations_created_by_id_users')),
    sa.ForeignKeyConstraint(['item_id'], ['check_items.id'], name=op.f('fk_item_relations_item_id_check_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['target_id'], ['check_items.id'], name=op.f('fk_item_relations_target_id_check_items'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_item_relations')),
    sa.UniqueConstraint('item_id', 'target_id', 'type', name=op.f('uq_item_relations_item_id_target_id_type'))
    )
    with op.batch_alter_table('item_relations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_item_relations_item_id'), ['item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_item_relations_target_id'), ['target_id'], unique=False)

    op.create_table('verdicts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('rating_id', sa.Integer(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('rationale', sa.Text(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('final_rating_id', sa.Integer(), nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('published_at IS NULL OR final_rating_id IS NOT NULL', name=op.f('ck_verdicts_published_has_rating')),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_verdicts_author_id_users')),
    sa.ForeignKeyConstraint(['final_rating_id'], ['ratings.id'], name=op.f('fk_verdicts_final_rating_id_ratings')),
    sa.ForeignKeyConstraint(['item_id'], ['check_items.id'], name=op.f('fk_verdicts_item_id_check_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['rating_id'], ['ratings.id'], name=op.f('fk_verdicts_rating_id_ratings')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_verdicts'))
    )
    with op.batch_alter_table('verdicts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_verdicts_item_id'), ['item_id'], unique=False)

    op.create_table('corrections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('tier', sa.Enum('clarification', 'correction', 'rating_change', name='tier', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('verdict_id', sa.Integer(), nullable=False),
    sa.Column('editor_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['editor_id'], ['users.id'], name=op.f('fk_corrections_editor_id_users')),
    sa.ForeignKeyConstraint(['item_id'], ['check_items.id'], name=op.f('fk_corrections_item_id_check_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['verdict_id'], ['verdicts.id'], name=op.f('fk_corrections_verdict_id_verdicts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_corrections'))
    )
    with op.batch_alter_table('corrections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_corrections_item_id'), ['item_id'], unique=False)

    op.create_table('votes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('verdict_id', sa.Integer(), nullable=False),
    sa.Column('reviewer_id', sa.Integer(), nullable=False),
    sa.Column('decision', sa.Enum('approve', 'return', name='decision', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('rating_id', sa.Integer(), nullable=True),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("decision <> 'return' OR comment IS NOT NULL", name=op.f('ck_votes_return_has_comment')),
    sa.ForeignKeyConstraint(['rating_id'], ['ratings.id'], name=op.f('fk_votes_rating_id_ratings')),
    sa.ForeignKeyConstraint(['reviewer_id'], ['users.id'], name=op.f('fk_votes_reviewer_id_users')),
    sa.ForeignKeyConstraint(['verdict_id'], ['verdicts.id'], name=op.f('fk_votes_verdict_id_verdicts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_votes')),
    sa.UniqueConstraint('verdict_id', 'reviewer_id', name=op.f('uq_votes_verdict_id_reviewer_id'))
    )


    _seed_default_rating_scale()
    _create_audit_guards()
    _create_full_text_search()


def downgrade() -> None:
    _drop_full_text_search()
    _drop_audit_guards()

    op.drop_table('votes')
    with op.batch_alter_table('corrections', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_corrections_item_id'))

    op.drop_table('corrections')
    with op.batch_alter_table('verdicts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_verdicts_item_id'))

    op.drop_table('verdicts')
    with op.batch_alter_table('item_relations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_item_relations_target_id'))
        batch_op.drop_index(batch_op.f('ix_item_relations_item_id'))

    op.drop_table('item_relations')
    with op.batch_alter_table('evidence', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evidence_source_id'))
        batch_op.drop_index(batch_op.f('ix_evidence_item_id'))

    op.drop_table('evidence')
    with op.batch_alter_table('chain_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_chain_links_source_id'))

    op.drop_table('chain_links')
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_events_item_id'))
        batch_op.drop_index('ix_audit_events_entity')

    op.drop_table('audit_events')
    with op.batch_alter_table('check_items', schema=None) as batch_op:
        batch_op.drop_index('ix_check_items_status_priority')
        batch_op.drop_index(batch_op.f('ix_check_items_claimant_id'))
        batch_op.drop_index(batch_op.f('ix_check_items_assignee_id'))
        batch_op.drop_index(batch_op.f('ix_check_items_article_id'))

    op.drop_table('check_items')
    op.drop_table('user_roles')
    op.drop_table('source_records')
    with op.batch_alter_table('source_aliases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_source_aliases_source_id'))

    op.drop_table('source_aliases')
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_articles_outlet_id'))

    op.drop_table('articles')
    op.drop_table('users')
    op.drop_table('throttles')
    with op.batch_alter_table('sources', schema=None) as batch_op:
        batch_op.drop_index('ix_sources_name')

    op.drop_table('sources')
    op.drop_table('ratings')



# --- hand-written parts --------------------------------------------------------------------------

#: The default scale (PolitiFact's six levels plus Misleading and Unverifiable), written out here
#: rather than imported so this migration never changes when the code does.
DEFAULT_SCALE = [
    # key, label, truth value, colour, ClaimReview value, position
    ("true", "True", 1.0, "#1a7f37", 6, 1),
    ("mostly-true", "Mostly True", 0.8, "#4c9a2a", 5, 2),
    ("half-true", "Half True", 0.5, "#bf8700", 4, 3),
    ("misleading", "Misleading", 0.3, "#d4722c", 3, 4),
    ("mostly-false", "Mostly False", 0.2, "#e0582f", 3, 5),
    ("false", "False", 0.0, "#cf222e", 2, 6),
    ("pants-on-fire", "Pants on Fire", 0.0, "#82071e", 1, 7),
    ("unverifiable", "Unverifiable", None, "#6e7781", None, 8),
]


def _seed_default_rating_scale() -> None:
    ratings = sa.table(
        "ratings",
        sa.column("key", sa.String),
        sa.column("label", sa.String),
        sa.column("truth_value", sa.Float),
        sa.column("colour", sa.String),
        sa.column("claimreview_value", sa.Integer),
        sa.column("position", sa.Integer),
        sa.column("is_active", sa.Boolean),
    )
    op.bulk_insert(
        ratings,
        [
            dict(zip(("key", "label", "truth_value", "colour", "claimreview_value", "position"), row), is_active=True)
            for row in DEFAULT_SCALE
        ],
    )


def _create_audit_guards() -> None:
    """The database itself refuses UPDATE and DELETE on audit events."""
    if op.get_bind().dialect.name == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_events_no_{verb.lower()} BEFORE {verb} ON audit_events "
                "BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END"
            )
        return
    op.execute(
        "CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN RAISE EXCEPTION 'audit events are append-only'; END $$"
    )
    op.execute(
        "CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events "
        "FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()"
    )
    op.execute(
        "CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events "
        "FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()"
    )


def _drop_audit_guards() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_delete")
        return
    op.execute("DROP TRIGGER IF EXISTS audit_events_no_truncate ON audit_events")
    op.execute("DROP TRIGGER IF EXISTS audit_events_no_change ON audit_events")
    op.execute("DROP FUNCTION IF EXISTS audit_events_append_only()")


#: The text both databases index for claim matching.
FTS_COLUMNS = "claim_text, restatement"


def _create_full_text_search() -> None:
    """FTS5 on SQLite (kept in step by triggers), a GIN tsvector index on PostgreSQL."""
    if op.get_bind().dialect.name != "sqlite":
        op.execute(
            "CREATE INDEX ix_check_items_fts ON check_items USING gin "
            "(to_tsvector('simple', claim_text || ' ' || coalesce(restatement, '')))"
        )
        return
    op.execute(
        "CREATE VIRTUAL TABLE check_items_fts USING fts5(claim_text, restatement, "
        "content='check_items', content_rowid='id', tokenize='unicode61 remove_diacritics 2')"
    )
    new = "new.id, new.claim_text, coalesce(new.restatement, '')"
    old = "'delete', old.id, old.claim_text, coalesce(old.restatement, '')"
    op.execute(
        "CREATE TRIGGER check_items_fts_insert AFTER INSERT ON check_items BEGIN "
        f"INSERT INTO check_items_fts(rowid, {FTS_COLUMNS}) VALUES ({new}); END"
    )
    op.execute(
        "CREATE TRIGGER check_items_fts_delete AFTER DELETE ON check_items BEGIN "
        f"INSERT INTO check_items_fts(check_items_fts, rowid, {FTS_COLUMNS}) VALUES ({old}); END"
    )
    op.execute(
        "CREATE TRIGGER check_items_fts_update AFTER UPDATE OF claim_text, restatement ON check_items BEGIN "
        f"INSERT INTO check_items_fts(check_items_fts, rowid, {FTS_COLUMNS}) VALUES ({old}); "
        f"INSERT INTO check_items_fts(rowid, {FTS_COLUMNS}) VALUES ({new}); END"
    )


def _drop_full_text_search() -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.execute("DROP INDEX IF EXISTS ix_check_items_fts")
        return
    for trigger in ("insert", "delete", "update"):
        op.execute(f"DROP TRIGGER IF EXISTS check_items_fts_{trigger}")
    op.execute("DROP TABLE IF EXISTS check_items_fts")
