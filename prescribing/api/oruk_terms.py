"""The source's taxonomy terms in ours, for `import-oruk`: matched by id, then code, then name;
a term we do not know is added under the source's taxonomy (created when we lack it)."""

import re

from sqlalchemy import select

from prescribing.directory.models import Taxonomy, TaxonomyTerm
from prescribing.extensions import db


class TermMapper:
    """The source's taxonomy terms in ours: by id, then code, then name; else added."""

    def __init__(self, source: str, report):
        self.source = source
        self.report = report
        self.ours: dict[str, str] = {}  # source term id -> our term id

    def load(self, taxonomies: list[dict], records: list[dict]) -> None:
        described = {t.get("id"): t for t in taxonomies if isinstance(t, dict)}
        by_code = {t.code.lower(): t for t in db.session.scalars(select(TaxonomyTerm))}
        by_name = {t.name.lower(): t for t in by_code.values()}
        added = []
        for record in records:
            source_id = record.get("id")
            if not isinstance(source_id, str) or source_id in self.ours:
                continue
            found = db.session.get(TaxonomyTerm, source_id)
            if found is None and record.get("name"):
                code = str(record.get("code") or "").lower()
                found = by_code.get(code) if code else None
                found = found or by_name.get(str(record["name"]).strip().lower())
                if found is not None:
                    self.report.terms_matched += 1
            if found is None and record.get("name"):
                found = self._add(record, described, by_code)
                by_code[found.code.lower()] = by_name[found.name.lower()] = found
                added.append((found, record.get("parent_id")))
            if found is not None:
                self.ours[source_id] = found.id
        db.session.flush()
        for term, parent in added:
            if parent and parent in self.ours and self.ours[parent] != term.id:
                term.parent_id = self.ours[parent]
        self.report.terms_added += len(added)

    def _add(self, record: dict, described: dict, by_code: dict) -> TaxonomyTerm:
        code = _slug(str(record.get("code") or record["name"]))[:55] or "term"
        candidate, n = code, 1
        while candidate.lower() in by_code:
            n += 1
            candidate = f"{code}-{n}"
        term = TaxonomyTerm(
            id=record["id"],
            code=candidate,
            name=str(record["name"])[:200],
            description=str(record.get("description") or ""),
            taxonomy=self._taxonomy(record, described),
        )
        db.session.add(term)
        return term

    def _taxonomy(self, record: dict, described: dict) -> Taxonomy:
        taxonomy_id = record.get("taxonomy_id")
        if taxonomy_id:
            found = db.session.get(Taxonomy, taxonomy_id)
            if found is None:
                about = described.get(taxonomy_id, {})
                found = Taxonomy(
                    id=taxonomy_id,
                    name=str(about.get("name") or record.get("taxonomy") or "Imported taxonomy")[:200],
                    description=str(about.get("description") or ""),
                    uri=about.get("uri"),
                    version=about.get("version"),
                )
                db.session.add(found)
            return found
        name = str(record.get("taxonomy") or f"Imported from {self.source}")[:200]
        found = db.session.scalar(select(Taxonomy).where(Taxonomy.name == name))
        if found is None:
            found = Taxonomy(name=name, description=f"Terms imported from {self.source}")
            db.session.add(found)
            db.session.flush()
        return found

    def our_ids(self, term_records: list[dict]) -> list[str]:
        return sorted({self.ours[t["id"]] for t in term_records if t.get("id") in self.ours})


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
