"""Every kind of file the platform takes in, in the order a full run ingests them. Definitions, the
sensors, `cchc run` and the run summary read this list: a new source is a package and one line here."""

from pipelines.landing.source import Source
from pipelines.sources.appraisals.assets import SOURCE as APPRAISALS
from pipelines.sources.indices.assets import SOURCE as INDICES
from pipelines.sources.plans.assets import SOURCE as PLANS
from pipelines.sources.reports.assets import SOURCE as REPORTS
from pipelines.sources.reviews.assets import SOURCE as REVIEWS
from pipelines.sources.self_assessments.assets import SOURCE as SELF_ASSESSMENTS

SOURCES: tuple[Source, ...] = (PLANS, REPORTS, REVIEWS, SELF_ASSESSMENTS, APPRAISALS, INDICES)
