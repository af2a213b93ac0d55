"""The store's tables, as SQLAlchemy Core metadata.

The Alembic migrations in ``migrations/versions`` create exactly these tables; a test compares
the migrated database with this metadata so the two cannot drift apart.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING)

regions = Table(
    "regions",
    metadata,
    Column("code", String(6), primary_key=True),
    Column("name_zh", Text, nullable=False),
    Column("name_en", Text, nullable=False),
    Column("level", Integer, nullable=False),  # 0 country, 1 province, 2 prefecture, 3 county
    Column("parent_code", String(6), nullable=True),
    Column("valid_from", Integer, nullable=True),  # year the code took this meaning
    Column("valid_to", Integer, nullable=True),  # last year it was valid; null = current
    Column("successor_code", String(6), nullable=True),
)

region_aliases = Table(
    "region_aliases",
    metadata,
    Column("alias", Text, primary_key=True),
    Column("code", String(6), ForeignKey("regions.code"), primary_key=True),
)

indicators = Table(
    "indicators",
    metadata,
    Column("id", String(100), primary_key=True),
    Column("name_en", Text, nullable=False),
    Column("name_zh", Text, nullable=False),
    Column("unit", String(40), nullable=False),
    Column("direction", Integer, nullable=False),
    Column("category", String(80), nullable=False),
    Column("aliases_zh", JSON, nullable=False),
    Column("aliases_en", JSON, nullable=False),
)

reference_data = Table(
    "reference_data",
    metadata,
    Column("name", String(40), primary_key=True),
    Column("sha256", String(64), nullable=False),
    Column("loaded_at", DateTime(timezone=True), nullable=False),
)

documents = Table(
    "documents",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("sha256", String(64), nullable=False, unique=True),
    Column("title", Text, nullable=True),
    Column("publisher", Text, nullable=True),
    Column("published", Date, nullable=True),
    Column("source", Text, nullable=False),
    Column("file_name", Text, nullable=False),
    Column("media_type", String(20), nullable=False),
    Column("encoding", String(40), nullable=True),
    Column("language", String(8), nullable=True),
    Column("size_bytes", BigInteger, nullable=False),
    Column("text", Text, nullable=False),
    Column("text_normalized", Text, nullable=False),
    Column("ingested_at", DateTime(timezone=True), nullable=False),
)

records = Table(
    "records",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"),
           nullable=False, index=True),
    Column("kind", String(12), nullable=False),
    Column("region_code", String(6), nullable=True, index=True),
    Column("region_name", Text, nullable=True),
    Column("indicator", String(100), nullable=True, index=True),
    Column("indicator_text", Text, nullable=True),
    Column("value", Float, nullable=True),
    Column("value_max", Float, nullable=True),
    Column("unit", String(40), nullable=True),
    Column("comparator", String(2), nullable=True),
    Column("year", Integer, nullable=True),
    Column("baseline_year", Integer, nullable=True),
    Column("baseline_value", Float, nullable=True),
    Column("quote", Text, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("extractor", String(60), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    # Curation: the machine's columns above are never updated; a person's correction lives in
    # ``curated`` (the full corrected record) and every decision in ``curation_events``.
    Column("status", String(12), nullable=False, server_default="machine", index=True),
    Column("curated", JSON, nullable=True),
)

curation_events = Table(
    "curation_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("record_id", Integer, ForeignKey("records.id", ondelete="CASCADE"),
           nullable=False, index=True),
    Column("actor", Text, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("action", String(12), nullable=False),
    Column("reason", Text, nullable=True),
    Column("before", JSON, nullable=True),
    Column("after", JSON, nullable=True),
)

releases = Table(
    "releases",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source", Text, nullable=False),
    Column("file_name", Text, nullable=True),
    Column("file_sha256", String(64), nullable=True),
    Column("vintage", String(32), nullable=False),  # ISO date or timestamp; sorts as text
    Column("published", Date, nullable=True),
    Column("imported_at", DateTime(timezone=True), nullable=False),
    Column("rows_stored", Integer, nullable=False, server_default="0"),
    Column("rows_rejected", Integer, nullable=False, server_default="0"),
)

observations = Table(
    "observations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("region_code", String(6), ForeignKey("regions.code"), nullable=False),
    Column("indicator", String(100), ForeignKey("indicators.id"), nullable=False),
    # 2022, 2022-06, 2022-06-30, 2022Q3, or a span 2022-01..2022-05
    Column("period", String(24), nullable=False),
    Column("year", Integer, nullable=False),
    Column("value", Float, nullable=False),
    Column("unit", String(40), nullable=False),
    Column("value_published", Text, nullable=True),
    Column("unit_published", Text, nullable=True),
    Column("source", Text, nullable=False),
    Column("source_url", Text, nullable=True),
    Column("published", Date, nullable=True),
    Column("vintage", String(32), nullable=False),
    Column("release_id", Integer, ForeignKey("releases.id"), nullable=True, index=True),
    Column("record_id", Integer, ForeignKey("records.id"), nullable=True, index=True),
    Column("origin", String(10), nullable=False),  # "import" or "document"
    Column("note", Text, nullable=True),
    # Also the index for reading a series: indicator and region lead.
    UniqueConstraint("indicator", "region_code", "period", "source", "vintage",
                     name="uq_observations_series_vintage"),
)

targets = Table(
    "targets",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("record_id", Integer, ForeignKey("records.id", ondelete="CASCADE"),
           nullable=True, unique=True),
    Column("region_code", String(6), ForeignKey("regions.code"), nullable=False),
    Column("indicator", String(100), ForeignKey("indicators.id"), nullable=True),
    Column("indicator_text", Text, nullable=True),
    Column("value", Float, nullable=False),
    Column("value_max", Float, nullable=True),
    Column("unit", String(40), nullable=False),
    Column("comparator", String(2), nullable=False),
    Column("year", Integer, nullable=True),
    Column("baseline_year", Integer, nullable=True),
    Column("baseline_value", Float, nullable=True),
    Column("source", Text, nullable=False),
    Column("source_url", Text, nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("note", Text, nullable=True),
)

progress_runs = Table(
    "progress_runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("method", String(40), nullable=False),
    Column("confirmed_only", Integer, nullable=False),
    Column("targets", Integer, nullable=False),
)

progress_results = Table(
    "progress_results",
    metadata,
    Column("run_id", Integer, ForeignKey("progress_runs.id", ondelete="CASCADE"),
           primary_key=True),
    Column("target", String(40), primary_key=True),  # r<record id> or t<targets.id>
    Column("status", String(20), nullable=False),
    Column("ratio", Float, nullable=True),
    Column("latest_year", Integer, nullable=True),
    Column("latest_value", Float, nullable=True),
    Column("target_value", Float, nullable=True),
    Column("target_year", Integer, nullable=True),
    Column("fingerprint", String(64), nullable=False),  # of the target as assessed
)

tokens = Table(
    "tokens",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", Text, nullable=False),
    Column("role", String(10), nullable=False),  # viewer, editor, admin
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
)

# A built composite index: the run (framework and pipeline as used), every unit's score and
# rank on every element, and the rank and score quantiles of an uncertainty analysis.
index_runs = Table(
    "index_runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", Text, nullable=False),
    Column("year", Integer, nullable=True),
    Column("source", Text, nullable=False),  # example:<name>, files:<iData name>, store
    Column("framework", JSON, nullable=False),  # [{code, name, level, parent, weight, ...}]
    Column("settings", Text, nullable=False),  # the pipeline YAML
    Column("units_kind", String(10), nullable=False),  # region or other
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("actor", Text, nullable=True),
)

index_scores = Table(
    "index_scores",
    metadata,
    Column("run_id", Integer, ForeignKey("index_runs.id", ondelete="CASCADE"),
           primary_key=True),
    Column("unit_code", Text, primary_key=True),
    Column("element_code", Text, primary_key=True),
    Column("unit_name", Text, nullable=False),
    Column("level", Integer, nullable=False),
    Column("score", Float, nullable=True),
    Column("rank", Integer, nullable=True),
)

index_uncertainty = Table(
    "index_uncertainty",
    metadata,
    Column("run_id", Integer, ForeignKey("index_runs.id", ondelete="CASCADE"),
           primary_key=True),
    Column("unit_code", Text, primary_key=True),
    Column("element_code", Text, primary_key=True),
    Column("replicates", Integer, nullable=False),
    Column("nominal_rank", Integer, nullable=True),
    Column("mean_rank", Float, nullable=True),
    Column("median_rank", Float, nullable=True),
    Column("q05_rank", Float, nullable=True),
    Column("q95_rank", Float, nullable=True),
    Column("score_q05", Float, nullable=True),
    Column("score_median", Float, nullable=True),
    Column("score_q95", Float, nullable=True),
)
