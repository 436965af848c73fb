"""Every word of the statistics page (统计, for 主管) on screen and in its exported files."""
from __future__ import annotations

from core.states import VerdictStatus as V

PAGE = "统计"
FROM = "起始日期(&F)："
TO = "截止日期(&T)："
DATE_FROM_WHAT = "起始日期"  # named in the reason a typed date is refused
DATE_TO_WHAT = "截止日期"
REFRESH = "刷新(&R)"
REFRESH_TIP = "按所选期间重新统计（Ctrl+R）"
LOADING = "正在统计…"
SUMMARY = ("{start} 至 {end}：出具报告 {reports} 份，核验 {checks} 次（伪造 {forged} 次、无法识别 {malformed} 次），"
           "异议 {objections} 件（已超期 {overdue} 件）")
BAD_PERIOD = "起始日期不能晚于截止日期"

EXPORT_PNG = "导出图片"
EXPORT_CSV = "导出数据"
EXPORT_PNG_TIP = "把这张图保存为 PNG 图片"
EXPORT_CSV_TIP = "把这张图的数字保存为 CSV 文件（可用 Excel 打开）"
PNG_FILTER = "PNG 图片 (*.png)"
CSV_FILTER = "CSV 文件 (*.csv)"
SAVED = "已保存：{path}"
SAVE_FAILED = "无法保存文件：{error}"
NO_DATA = "本期间没有数据"

# chart titles, the file name each export suggests, and the CSV's header row
BY_DAY = "每日出具报告数"
BY_DAY_HEADER = ("日期", "出具份数")
BY_COUNTER = "各窗口出具报告数"
BY_COUNTER_HEADER = ("窗口", "出具份数")
BY_PURPOSE = "各用途出具报告数"
BY_PURPOSE_HEADER = ("用途", "出具份数")
VERIFICATIONS = "核验结果"
VERIFICATIONS_HEADER = ("核验结果", "次数")
VERDICTS = {V.VALID: "有效", V.MALFORMED: "无法识别", V.FORGED: "伪造", V.REVOKED: "已撤销", V.EXPIRED: "已过期"}
DOMAINS = "违法记录最多的领域"
DOMAINS_HEADER = ("领域代码", "领域", "违法记录数")
OBJECTIONS = "异议状态"
OBJECTIONS_HEADER = ("状态", "件数")
OVERDUE = "已超期"
OBJECTIONS_NOTE = "本期间登记的异议中，已超期 {n} 件（已超期一栏按办理期限计，与各状态重叠）"
UNITS = "各单位数据更新情况"
UNITS_HEADER = ("数据提供单位", "最近导入时间", "导入行数", "拒收行数", "是否逾期")
UNITS_NOTE = "最近导入早于截止日期 {days} 天以上的单位以红色显示；行数为本期间内的导入"
UNIT_UNNAMED = "（未注明单位）"
LATE = "逾期未更新"
NOT_LATE = "正常"
