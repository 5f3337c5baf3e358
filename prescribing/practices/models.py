"""Primary care networks and their practices: the scopes of care data."""

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from prescribing.extensions import db


class Pcn(db.Model):
    __tablename__ = "pcn"

    id: Mapped[int] = mapped_column(primary_key=True)
    ods_code: Mapped[str] = mapped_column(String(10), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    link_worker_team_phone: Mapped[str | None] = mapped_column(String(40))
    link_worker_team_email: Mapped[str | None] = mapped_column(String(254))

    practices: Mapped[list["Practice"]] = relationship(back_populates="pcn", order_by="Practice.name")

    def __repr__(self) -> str:
        return f"<Pcn {self.ods_code}>"


class Practice(db.Model):
    __tablename__ = "practice"

    id: Mapped[int] = mapped_column(primary_key=True)
    ods_code: Mapped[str] = mapped_column(String(10), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    postcode: Mapped[str | None] = mapped_column(String(8))
    pcn_id: Mapped[int] = mapped_column(ForeignKey("pcn.id"), index=True)

    pcn: Mapped[Pcn] = relationship(back_populates="practices")

    def __repr__(self) -> str:
        return f"<Practice {self.ods_code}>"
