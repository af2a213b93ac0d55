"""index runs, scores and uncertainty

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 09:00:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('index_runs',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=True),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('framework', sa.JSON(), nullable=False),
    sa.Column('settings', sa.Text(), nullable=False),
    sa.Column('units_kind', sa.String(length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_index_runs'))
    )
    op.create_table('index_scores',
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('unit_code', sa.Text(), nullable=False),
    sa.Column('element_code', sa.Text(), nullable=False),
    sa.Column('unit_name', sa.Text(), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('score', sa.Float(), nullable=True),
    sa.Column('rank', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['run_id'], ['index_runs.id'], name=op.f('fk_index_scores_run_id_index_runs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('run_id', 'unit_code', 'element_code', name=op.f('pk_index_scores'))
    )
    op.create_table('index_uncertainty',
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('unit_code', sa.Text(), nullable=False),
    sa.Column('element_code', sa.Text(), nullable=False),
    sa.Column('replicates', sa.Integer(), nullable=False),
    sa.Column('nominal_rank', sa.Integer(), nullable=True),
    sa.Column('mean_rank', sa.Float(), nullable=True),
    sa.Column('median_rank', sa.Float(), nullable=True),
    sa.Column('q05_rank', sa.Float(), nullable=True),
    sa.Column('q95_rank', sa.Float(), nullable=True),
    sa.Column('score_q05', sa.Float(), nullable=True),
    sa.Column('score_median', sa.Float(), nullable=True),
    sa.Column('score_q95', sa.Float(), nullable=True),
    sa.ForeignKeyConstraint(['run_id'], ['index_runs.id'], name=op.f('fk_index_uncertainty_run_id_index_runs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('run_id', 'unit_code', 'element_code', name=op.f('pk_index_uncertainty'))
    )


def downgrade() -> None:
    op.drop_table('index_uncertainty')
    op.drop_table('index_scores')
    op.drop_table('index_runs')
