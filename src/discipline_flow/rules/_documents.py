"""The party documents the built-in rulesets rest on (dates and status as in the reference)."""

from __future__ import annotations

import datetime as _dt

from discipline_flow.citation import RuleStatus
from discipline_flow.rules.ruleset import Document

_S = RuleStatus.SECONDARY
_D = _dt.date

CHARTER = Document(
    "Điều lệ Đảng (2011)",
    "Party Charter, adopted by the 11th National Congress",
    "Điều lệ Đảng",
    issued_on=_D(2011, 1, 19),
    source="P-baonghean-charter",
    note="whether the 14th Congress (January 2026) amended it was not found",
)
QD_22 = Document(
    "QĐ 22-QĐ/TW",
    "Regulation on inspection, supervision and discipline",
    "Quy định về công tác kiểm tra, giám sát và kỷ luật của Đảng",
    issued_on=_D(2021, 7, 28),
    source="P-tuyengiao-tg; P-giaoduclyluan",
)
HD_02_2021 = Document(
    "HD 02-HD/TW",
    "Secretariat guidance on QĐ 22-QĐ/TW",
    "Hướng dẫn thực hiện Quy định 22-QĐ/TW",
    issued_on=_D(2021, 12, 9),
    source="P-scribd-hoidap; P-vietbao-hd02",
    note="issued after QĐ 22 took effect; read as explaining QĐ 22 from its first day",
)
QD_24 = Document(
    "QĐ 24-QĐ/TW",
    "Regulation implementing the Party Charter",
    "Quy định thi hành Điều lệ Đảng",
    issued_on=_D(2021, 7, 30),
    source="P-cdl-qd24",
    note="replaced by QĐ 232-QĐ/TW on 20/1/2025",
)
HD_01_2021 = Document(
    "HD 01-HD/TW",
    "Secretariat guidance on the Party Charter",
    "Hướng dẫn một số vấn đề cụ thể thi hành Điều lệ Đảng",
    issued_on=_D(2021, 9, 28),
    source="P-stdt-rakhoidang",
    note="replaced by HD 06-HD/TW on 9/6/2025",
)
QD_102 = Document(
    "QĐ 102-QĐ/TW",
    "Regulation on disciplining members who violate",
    "Quy định xử lý kỷ luật đảng viên vi phạm",
    issued_on=_D(2017, 11, 15),
    source="P-vinhcity; P-xdcs-69",
    note="replaced by QĐ 69-QĐ/TW on 6/7/2022",
)
QD_07 = Document(
    "QĐ 07-QĐi/TW",
    "Regulation on disciplining party organisations that violate",
    "Quy định xử lý kỷ luật tổ chức đảng vi phạm",
    issued_on=_D(2018, 8, 28),
    source="P-vinhcity; P-xdcs-69",
    note="replaced by QĐ 69-QĐ/TW on 6/7/2022",
)
QD_86 = Document(
    "QĐ 86-QĐ/TW",
    "Regulation on supervision in the party",
    "Quy định về giám sát trong Đảng",
    issued_on=_D(2017, 6, 1),
    source="P-qlnn-296",
    note="guidance HD 02-HD/UBKTTW (12/9/2017); replaced by QĐ 296-QĐ/TW on 30/5/2025",
)
QD_69 = Document(
    "QĐ 69-QĐ/TW",
    "Regulation on disciplining party organisations and members who violate",
    "Quy định về kỷ luật tổ chức đảng, đảng viên vi phạm",
    issued_on=_D(2022, 7, 6),
    source="P-tvpl-69; P-baogialai-69",
    note="amended by QĐ 264-QĐ/TW (14/2/2025), whose content was not retrieved",
)
QD_164 = Document(
    "QĐ 164-QĐ/TW",
    "Procedure for denunciations against centrally managed cadres",
    "Quy định về giải quyết tố cáo đối với cán bộ thuộc diện Trung ương quản lý",
    issued_on=_D(2024, 6, 6),
    source="P-lawnet-164; P-vns-164",
)
QD_262 = Document(
    "QĐ 262-QĐ/TW",
    "Amendment of QĐ 22-QĐ/TW (authority to resolve discipline complaints)",
    "Quy định sửa đổi Quy định 22-QĐ/TW",
    issued_on=_D(2025, 2, 3),
    source="P-lawnet-262",
)
QD_232 = Document(
    "QĐ 232-QĐ/TW",
    "Regulation implementing the Party Charter",
    "Quy định thi hành Điều lệ Đảng",
    issued_on=_D(2025, 1, 20),
    source="P-vnvn-qd232",
    note="replaced by QĐ 294-QĐ/TW on 1/7/2025",
)
QD_296 = Document(
    "QĐ 296-QĐ/TW",
    "Regulation on inspection, supervision and discipline",
    "Quy định về công tác kiểm tra, giám sát và kỷ luật của Đảng",
    issued_on=_D(2025, 5, 30),
    source="P-qlnn-296; P-tcnnld-296",
    note="replaced QĐ 22, QĐ 262 and QĐ 86 among others",
)
HD_06_2025 = Document(
    "HD 06-HD/TW",
    "Secretariat guidance on the Party Charter",
    "Hướng dẫn một số vấn đề cụ thể thi hành Điều lệ Đảng",
    issued_on=_D(2025, 6, 9),
    status=_S,
    source="R-28300988406",
)
HD_08_2025 = Document(
    "HD 08-HD/TW",
    "Guidance on QĐ 296-QĐ/TW",
    "Hướng dẫn thực hiện Quy định 296-QĐ/TW",
    issued_on=_D(2025, 6, 10),
    status=_S,
    source="R-28300988406",
)
QD_294 = Document(
    "QĐ 294-QĐ/TW",
    "Regulation implementing the Party Charter; the party system has no district level",
    "Quy định thi hành Điều lệ Đảng",
    issued_on=_D(2025, 5, 26),
    effective_from=_D(2025, 7, 1),
    source="P-thads-qd294; P-dantri-qd294",
)
QD_21 = Document(
    "QĐ 21-QĐ/TW",
    "Regulation on inspection, supervision and discipline (14th Central Committee)",
    "Quy định về công tác kiểm tra, giám sát và kỷ luật của Đảng",
    issued_on=_D(2026, 4, 11),
    status=_S,
    source="R-67295393334; R-71435943439; R-53570694634",
    note="official text not seen; that it replaced QĐ 296 is inferred",
)
NQ_05_2026 = Document(
    "NQ 05-NQ/TW",
    "Resolution on inspection, supervision and discipline",
    "Nghị quyết về đổi mới, nâng cao hiệu lực công tác kiểm tra, giám sát và kỷ luật của Đảng",
    issued_on=_D(2026, 4, 7),
    status=_S,
    source="R-67295393334; R-68539964893",
)
QD_20_2026 = Document(
    "QĐ 20-QĐ/TW",
    "Regulation implementing the Party Charter",
    "Quy định thi hành Điều lệ Đảng",
    issued_on=_D(2026, 4, 8),
    status=_S,
    source="R-61398064276",
    note="date from one repository; the chain QĐ 294 → QĐ 20 → QĐ 208 is uncertain",
)
HD_01_2026 = Document(
    "HD 01-HD/TW",
    "Secretariat guidance on the Party Charter",
    "Hướng dẫn một số vấn đề cụ thể thi hành Điều lệ Đảng",
    issued_on=_D(2026, 5, 19),
    status=_S,
    source="R-28300988406; R-60315005969",
)
QD_208_2026 = Document(
    "QĐ 208-QĐ/TW",
    "Regulation implementing the Party Charter",
    "Quy định thi hành Điều lệ Đảng",
    issued_on=_D(2026, 7, 26),
    status=_S,
    source="R-momsexam-sources; R-60315005969",
)
QD_212_2026 = Document(
    "QĐ 212-QĐ/TW",
    "Regulation on disciplining party organisations and members (would replace QĐ 69)",
    "Quy định về kỷ luật tổ chức đảng, đảng viên vi phạm",
    issued_on=_D(2026, 8, 17),
    status=_S,
    source="R-71435943439",
    note="a single weak source; not used for any rule: QĐ 69 values are kept",
)
