"""Every word the public pages show, in Vietnamese (the default) and English.

The catalogue is one table so a translator reads it top to bottom; it is long because it is
the whole user interface, not because it holds logic. Data (names, addresses, product names)
is shown as recorded; only the interface and the known vocabularies (steps, roles, statuses)
are translated.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Final

from shared.domain.clock import VIETNAM_TIME

VI: Final = "vi"
EN: Final = "en"
LANGUAGES: Final = (VI, EN)

# key: (Vietnamese, English)
MESSAGES: Final[dict[str, tuple[str, str]]] = {
    "tagline": ("Truy xuất nguồn gốc nông sản Thanh Hóa", "Provenance of farm produce, Thanh Hóa"),
    "provenance": ("Nguồn gốc", "Provenance"),
    "other_language": ("English", "Tiếng Việt"),
    "recall_title": (
        "ĐÃ THU HỒI — lô hàng này đã bị thu hồi",
        "RECALLED — this batch was recalled",
    ),
    "recall_advice": (
        "Không ăn, không sử dụng và không bán sản phẩm này. Hãy mang trả lại nơi bán.",
        "Do not eat, use or sell this product. Take it back to where you bought it.",
    ),
    "recall_reason": ("Lý do", "Reason"),
    "recall_at": ("Thời điểm thu hồi", "Recalled at"),
    "recall_origin": ("Lệnh thu hồi ban hành cho lô", "Recall issued on batch"),
    "status": ("Tình trạng", "Status"),
    "status_active": ("Đang lưu hành", "In circulation"),
    "status_in_transit": ("Đang vận chuyển", "In transit"),
    "status_consumed": ("Đã sử dụng hết", "Used up"),
    "status_sold": ("Đã bán", "Sold"),
    "status_recalled": ("Đã thu hồi", "Recalled"),
    "status_depleted": ("Đã chế biến thành lô khác", "Used up in other batches"),
    "identifiers": ("Mã định danh", "Identifiers"),
    "code": ("Mã lô", "Batch code"),
    "gtin": ("Mã sản phẩm GTIN", "GTIN"),
    "lot": ("Số lô", "Lot"),
    "quantity": ("Khối lượng", "Quantity"),
    "harvest_dates": ("Ngày thu hoạch", "Harvest date"),
    "commodity": ("Loại nông sản", "Commodity"),
    "variety": ("Giống", "Variety"),
    "who": ("Ai làm ra sản phẩm", "Who made it"),
    "producer": ("Nhà sản xuất", "Producer"),
    "holder": ("Đơn vị đang giữ hàng", "Current holder"),
    "kind_cooperative": ("Hợp tác xã", "Cooperative"),
    "kind_enterprise": ("Doanh nghiệp", "Enterprise"),
    "origin": ("Vùng trồng", "Where it was grown"),
    "no_plots": ("Chưa có thông tin vùng trồng.", "No growing area recorded yet."),
    "planting_area_code": ("Mã số vùng trồng", "Planting-area code"),
    "commune": ("Địa bàn", "Commune"),
    "crop": ("Cây trồng", "Crop"),
    "area": ("Diện tích", "Area"),
    "location": ("Tọa độ (WGS84)", "Coordinates (WGS84)"),
    "sketch_north": ("Sơ đồ lô đất, hướng Bắc ở trên", "Sketch of the plot, north up"),
    "north": ("B", "N"),
    "sketch_estimated": ("vòng tròn ước theo diện tích", "circle estimated from the area"),
    "timeline": ("Hành trình của lô hàng", "Journey of this batch"),
    "timeline_note": ("Giờ Việt Nam (GMT+7), cũ nhất ở trên", "Vietnam time (GMT+7), oldest first"),
    "on_batch": ("Lô", "Batch"),
    "no_steps": ("Chưa có bước nào được ghi nhận.", "No step recorded yet."),
    "step_harvested": ("Thu hoạch", "Harvested"),
    "step_processed": ("Sơ chế, chế biến", "Processed"),
    "step_transformed": ("Chế biến, tách hoặc gộp lô", "Transformed, split or merged"),
    "step_shipped": ("Xuất hàng", "Shipped"),
    "step_received": ("Nhận hàng", "Received"),
    "step_inspected": ("Kiểm nghiệm", "Inspected"),
    "step_certified": ("Cấp chứng nhận", "Certified"),
    "step_labelled": ("Dán tem truy xuất", "Labelled"),
    "step_recalled": ("Thu hồi", "Recalled"),
    "step_sold": ("Bán ra", "Sold"),
    "step_consumed": ("Đã sử dụng", "Consumed"),
    "step_corrected": ("Đính chính thông tin", "Correction"),
    "fact_step": ("Công đoạn", "Step"),
    "fact_facility": ("Cơ sở", "Facility"),
    "fact_result": ("Kết quả", "Result"),
    "fact_to": ("Đến", "To"),
    "fact_quantity": ("Khối lượng", "Quantity"),
    "fact_commodity": ("Nông sản", "Commodity"),
    "fact_harvested_on": ("Ngày thu hoạch", "Harvested on"),
    "fact_code": ("Mã lô", "Batch code"),
    "fact_sources": ("Từ các lô", "From batches"),
    "fact_into": ("Thành các lô", "Into batches"),
    "fact_valid_from": ("Hiệu lực từ", "Valid from"),
    "fact_valid_until": ("Hiệu lực đến", "Valid until"),
    "fact_amends_version": ("Đính chính cho phiên bản", "Amends version"),
    "fact_fields": ("Nội dung được đính chính", "Corrected fields"),
    "fact_lab": ("Phòng thử nghiệm", "Laboratory"),
    "fact_reason": ("Lý do", "Reason"),
    "fact_by": ("Thực hiện bởi", "By"),
    "fact_variety": ("Giống", "Variety"),
    "fact_gtin": ("GTIN", "GTIN"),
    "fact_lot": ("Số lô", "Lot"),
    "fact_scheme": ("Tiêu chuẩn", "Scheme"),
    "fact_certificate": ("Số chứng nhận", "Certificate"),
    "value_drying": ("Phơi, sấy", "Drying"),
    "value_cooling": ("Làm lạnh", "Cooling"),
    "value_milling": ("Xay xát", "Milling"),
    "value_sorting": ("Phân loại", "Sorting"),
    "value_packing": ("Đóng gói", "Packing"),
    "value_washing": ("Rửa", "Washing"),
    "value_cleaning": ("Làm sạch", "Cleaning"),
    "value_polishing": ("Xát trắng, đánh bóng", "Polishing"),
    "value_grading": ("Phân hạng", "Grading"),
    "value_fermenting": ("Lên men", "Fermenting"),
    "value_roasting": ("Rang", "Roasting"),
    "value_storing": ("Bảo quản trong kho", "Storing"),
    "value_freezing": ("Cấp đông", "Freezing"),
    "value_split": ("Tách lô", "Splitting"),
    "value_merge": ("Gộp lô", "Merging"),
    "value_province": ("Cơ quan quản lý cấp tỉnh", "Provincial authority"),
    "value_pass": ("Đạt", "Passed"),
    "value_fail": ("Không đạt", "Failed"),
    "inspections": ("Kết quả kiểm nghiệm", "Inspections"),
    "no_inspections": ("Chưa có kết quả kiểm nghiệm được công bố.", "No inspection published yet."),
    "lab": ("Phòng thử nghiệm", "Laboratory"),
    "report": ("Phiếu kết quả", "Report"),
    "certifications": ("Tiêu chuẩn và chứng nhận", "Standards and certifications"),
    "no_certifications": ("Chưa có chứng nhận được công bố.", "No certification published yet."),
    "valid": ("Còn hiệu lực", "Valid"),
    "expired": ("Hết hiệu lực", "Expired"),
    "valid_from": ("Từ", "From"),
    "valid_until": ("đến", "until"),
    "certificate": ("Số chứng nhận", "Certificate no."),
    "certified_holder": ("Đơn vị được chứng nhận", "Holder"),
    "value_chains": ("Chuỗi liên kết", "Value chain"),
    "partners": ("Các bên tham gia", "Partners"),
    "role_input_supplier": ("Cung ứng vật tư", "Input supplier"),
    "role_producer": ("Sản xuất", "Producer"),
    "role_processor": ("Chế biến", "Processor"),
    "role_distributor": ("Phân phối", "Distributor"),
    "role_retailer": ("Bán lẻ", "Retailer"),
    "role_exporter": ("Xuất khẩu", "Exporter"),
    "role_lead": ("Doanh nghiệp dẫn dắt", "Lead enterprise"),
    "fingerprint": ("Dấu vân tay của hồ sơ", "Record fingerprint"),
    "fingerprint_explained": (
        "Mọi sự kiện của lô này và của các lô nguồn được lưu cố định, không sửa, không xóa. "
        "Mã SHA-256 dưới đây được tính trên toàn bộ các bản ghi đó: bất kỳ ai cũng có thể "
        "lấy các bản ghi và tính lại để đối chiếu. Chỉ cần một ký tự bị sửa, mã sẽ khác hẳn.",
        "Every event of this batch and of the batches it came from is stored for good, never "
        "edited or deleted. The SHA-256 fingerprint below is computed over all of those "
        "records: anyone can take the records and compute it again to compare. Change a "
        "single character and the fingerprint is completely different.",
    ),
    "fingerprint_records": (
        "Mã SHA-256 của từng bản ghi (để tính lại)",
        "Each record's SHA-256 digest (to recompute it)",
    ),
    "position": ("Cập nhật đến sự kiện số", "Up to event no."),
    "footer": (
        "Thông tin do hợp tác xã và đối tác ghi nhận. Thông tin cá nhân không được công bố.",
        "Recorded by cooperatives and their partners. Personal data is never published.",
    ),
    "error_title": ("Đã có lỗi xảy ra", "Something went wrong"),
    "error_message": ("Vui lòng thử lại sau.", "Please try again later."),
    "malformed_title": ("Địa chỉ không hợp lệ", "This address is not valid"),
    "malformed_message": ("Địa chỉ này không đúng dạng.", "This address is not well formed."),
    "malformed_code_message": (
        "Mã lô có dạng TH-2026-000123: chữ cái của tỉnh, năm, rồi 6 chữ số. Hãy quét lại "
        "mã QR hoặc kiểm tra mã in trên tem.",
        "A batch code looks like TH-2026-000123: province letters, year, then 6 digits. "
        "Scan the QR code again or check the code printed on the label.",
    ),
    "malformed_gtin_message": (
        "Mã GTIN không đúng (sai độ dài hoặc sai số kiểm tra). Hãy quét lại mã QR trên sản phẩm.",
        "The GTIN is not valid (wrong length or check digit). Scan the QR code on the "
        "product again.",
    ),
    "malformed_lot_message": (
        "Số lô dài từ 1 đến 20 ký tự, gồm chữ cái không dấu, chữ số và một số ký hiệu "
        "theo chuẩn GS1.",
        "A lot number has 1 to 20 characters: unaccented letters, digits and a few symbols "
        "allowed by GS1.",
    ),
    "malformed_count_message": (
        "Số tem cần in phải là số nguyên từ 1 đến 200.",
        "The number of labels must be a whole number from 1 to 200.",
    ),
    "malformed_position_message": (
        "Tham số position phải là một số nguyên không âm.",
        "The position parameter must be a whole number, zero or more.",
    ),
    "not_found_title": ("Không tìm thấy lô hàng", "Batch not found"),
    "not_found_message": (
        "Chưa có lô hàng nào mang mã này trên Nguồn. Nếu tem vừa được in, hãy thử lại sau "
        "ít phút; nếu không, sản phẩm này có thể không được truy xuất qua Nguồn.",
        "No batch with this code is recorded in Nguồn. If the label was printed just now, "
        "try again in a few minutes; otherwise this product may not be traced through Nguồn.",
    ),
    "behind_title": ("Dữ liệu đang được cập nhật", "The record is being updated"),
    "behind_message": (
        "Thông tin mới nhất chưa sẵn sàng. Vui lòng tải lại trang sau vài giây.",
        "The latest information is not ready yet. Please reload in a few seconds.",
    ),
    "you_sent": ("Giá trị nhận được", "What we received"),
    "labels_title": ("Tem truy xuất nguồn gốc", "Traceability labels"),
    "labels_hint": (
        "In bằng lệnh In của trình duyệt: khổ A4, tỉ lệ 100%, không thêm lề. Mỗi trang "
        "24 tem 70 × 37 mm.",
        "Print from the browser: A4, 100% scale, no extra margins. 24 labels of "
        "70 × 37 mm per page.",
    ),
    "label_scan": ("Quét để xem nguồn gốc", "Scan for provenance"),
    "label_harvest": ("Thu hoạch", "Harvested"),
    "labels_count": ("tem", "labels"),
}

_MONTHS_EN: Final = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
                     "Nov", "Dec")  # fmt: skip


@dataclass(frozen=True)
class Translator:
    """The catalogue in one language; ``t("key")`` in templates."""

    lang: str

    def __call__(self, key: str) -> str:
        vi, en = MESSAGES[key]
        return en if self.lang == EN else vi

    def known(self, prefix: str, value: str) -> str:
        """A vocabulary word (``step_harvested``) translated, or the value as recorded."""
        key = f"{prefix}_{value}"
        return self(key) if key in MESSAGES else value.replace("_", " ")

    def date(self, iso: str) -> str:
        """``2026-03-14`` as ``14/03/2026`` or ``14 Mar 2026``; unparsable text as is."""
        try:
            day = dt.date.fromisoformat(iso[:10])
        except ValueError:
            return iso
        if self.lang == EN:
            return f"{day.day} {_MONTHS_EN[day.month - 1]} {day.year}"
        return day.strftime("%d/%m/%Y")

    def datetime(self, iso: str) -> str:
        """An ISO 8601 instant in Vietnam time; a bare date stays a date."""
        try:
            moment = dt.datetime.fromisoformat(iso)
        except ValueError:
            return iso
        if moment.tzinfo is None:
            return self.date(iso)
        local = moment.astimezone(VIETNAM_TIME)
        return f"{self.date(local.date().isoformat())} {local:%H:%M}"
