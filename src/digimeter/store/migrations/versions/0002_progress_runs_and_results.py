"""progress runs and results

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 02:42:13.130802
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('progress_runs',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('method', sa.String(length=40), nullable=False),
    sa.Column('confirmed_only', sa.Integer(), nullable=False),
    sa.Column('targets', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_progress_runs'))
    )
    op.create_table('progress_results',
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('target', sa.String(length=40), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('ratio', sa.Float(), nullable=True),
    sa.Column('latest_year', sa.Integer(), nullable=True),
    sa.Column('latest_value', sa.Float(), nullable=True),
    sa.Column('target_value', sa.Float(), nullable=True),
    sa.Column('target_year', sa.Integer(), nullable=True),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['run_id'], ['progress_runs.id'], name=op.f('fk_progress_results_run_id_progress_runs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('run_id', 'target', name=op.f('pk_progress_results'))
    )


def downgrade() -> None:
    op.drop_table('progress_results')
    op.drop_table('progress_runs')
