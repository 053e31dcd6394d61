"""Legal time: periods, the Vietnamese working-day calendar, deadlines and limitation periods."""

from discipline_flow.time.period import Period, Unit

__all__ = ["Period", "Unit"]
