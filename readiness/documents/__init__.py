"""The documents the UN writes from the results: a handover certificate for each handover decision, the transition
paragraph of the Secretary-General's report, the annex of benchmarks and the costed gap list, as Word and Excel
files. Written from the same view as the site (a public view leaves out restricted decisions and restricted
evidence), in any language of the framework, with the explainer's sentences: nothing here decides a fact.

One module per document (`certificate`, `paragraph`, `annex`, `gaps`), the finishing they share (`word`: A4,
marking and page numbers, properties, styles, Excel sheets) and the one list of documents (`catalog`)."""

from .annex import BenchmarkRegion, BenchmarkRow, annex_line, benchmark_annex, write_annex_docx, write_annex_xlsx
from .catalog import DocumentLeak, document_list, document_text, documents, missing_documents, site_documents
from .certificate import Certificate, certificates, records, write_docx
from .gaps import GapLine, gap_list, gap_rows, gap_totals, total_rows, write_gaps_docx, write_gaps_xlsx
from .paragraph import (
    TransitionFacts,
    has_paragraph,
    plain_explainer,
    transition_facts,
    transition_paragraph,
    write_paragraph_docx,
)
from .word import reproducible

__all__ = [
    "BenchmarkRegion",
    "BenchmarkRow",
    "Certificate",
    "DocumentLeak",
    "GapLine",
    "TransitionFacts",
    "annex_line",
    "benchmark_annex",
    "certificates",
    "document_list",
    "document_text",
    "documents",
    "gap_list",
    "gap_rows",
    "gap_totals",
    "has_paragraph",
    "missing_documents",
    "plain_explainer",
    "records",
    "reproducible",
    "site_documents",
    "total_rows",
    "transition_facts",
    "transition_paragraph",
    "write_annex_docx",
    "write_annex_xlsx",
    "write_docx",
    "write_gaps_docx",
    "write_gaps_xlsx",
    "write_paragraph_docx",
]
