"""Signposting: shared community prescriptions, anonymous signposting counts, requests to the link worker team.

Revision ID: 0002_signposting
Revises: 0001
Create Date: 2026-11-22 04:35:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0002_signposting'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('community_prescription',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('practice_id', sa.Integer(), nullable=False),
    sa.Column('needs', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['practice_id'], ['practice.id'], name=op.f('fk_community_prescription_practice_id_practice')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_community_prescription')),
    sa.UniqueConstraint('token', name=op.f('uq_community_prescription_token'))
    )
    with op.batch_alter_table('community_prescription', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_community_prescription_practice_id'), ['practice_id'], unique=False)

    op.create_table('signposting_count',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('need_term_id', sa.String(length=36), nullable=False),
    sa.Column('outcode', sa.String(length=4), nullable=False),
    sa.Column('searches', sa.Integer(), nullable=False),
    sa.Column('unmet', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['need_term_id'], ['taxonomy_term.id'], name=op.f('fk_signposting_count_need_term_id_taxonomy_term')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signposting_count')),
    sa.UniqueConstraint('day', 'need_term_id', 'outcode', name='uq_signposting_count')
    )
    with op.batch_alter_table('signposting_count', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_signposting_count_need_term_id'), ['need_term_id'], unique=False)

    op.create_table('link_worker_request',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('pcn_id', sa.Integer(), nullable=False),
    sa.Column('practice_id', sa.Integer(), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=False),
    sa.Column('given_name', sa.String(length=100), nullable=False),
    sa.Column('family_name', sa.String(length=100), nullable=False),
    sa.Column('date_of_birth', sa.Date(), nullable=False),
    sa.Column('nhs_number', sa.String(length=10), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('urgency', sa.Enum('routine', 'soon', 'urgent', name='urgency', native_enum=False, length=30), nullable=False),
    sa.Column('agreed_to_contact', sa.Boolean(), nullable=False),
    sa.Column('status', sa.Enum('waiting', 'accepted', 'declined', name='requeststatus', native_enum=False, length=30), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('declined_reason', sa.String(length=500), nullable=True),
    sa.Column('person_id', sa.String(length=36), nullable=True),
    sa.Column('episode_id', sa.String(length=36), nullable=True),
    sa.ForeignKeyConstraint(['decided_by_id'], ['app_user.id'], name=op.f('fk_link_worker_request_decided_by_id_app_user')),
    sa.ForeignKeyConstraint(['episode_id'], ['episode.id'], name=op.f('fk_link_worker_request_episode_id_episode')),
    sa.ForeignKeyConstraint(['pcn_id'], ['pcn.id'], name=op.f('fk_link_worker_request_pcn_id_pcn')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_link_worker_request_person_id_person')),
    sa.ForeignKeyConstraint(['practice_id'], ['practice.id'], name=op.f('fk_link_worker_request_practice_id_practice')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['app_user.id'], name=op.f('fk_link_worker_request_requested_by_id_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_link_worker_request'))
    )
    with op.batch_alter_table('link_worker_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_link_worker_request_pcn_id'), ['pcn_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_link_worker_request_practice_id'), ['practice_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_link_worker_request_status'), ['status'], unique=False)



def downgrade():
    with op.batch_alter_table('link_worker_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_link_worker_request_status'))
        batch_op.drop_index(batch_op.f('ix_link_worker_request_practice_id'))
        batch_op.drop_index(batch_op.f('ix_link_worker_request_pcn_id'))

    op.drop_table('link_worker_request')
    with op.batch_alter_table('signposting_count', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_signposting_count_need_term_id'))

    op.drop_table('signposting_count')
    with op.batch_alter_table('community_prescription', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_community_prescription_practice_id'))

    op.drop_table('community_prescription')
