"""Regions: document region, sentence mentions, national figures, organisation names."""

from tests.extract_helpers import only, records


def test_document_region_from_the_title():
    text = "辽宁省印发数字辽宁建设规划\n到2025年,全省建成5G基站14万个。"
    assert only(text)["region_code"] == "210000"


def test_whole_province_points_to_the_document_region():
    text = "江西出台数字经济三年行动计划\n预计到2022年,全省数字经济增加值达到1.5万亿元。"
    assert only(text)["region_code"] == "360000"


def test_national_figure_inside_a_regional_document():
    text = ("广东省数字经济发展报告\n截至2022年底,广东省5G基站达到22万个。"
            "截至2022年底,我国累计建成5G基站231.2万个。")
    assert [r["region_code"] for r in records(text)] == ["440000", "CN"]


def test_city_named_before_its_figure():
    text = ("河北省通信业发展报告\n电话用户数超千万的设区市达到4个,"
            "分别为:石家庄1637.7万户,保定1288万户。")
    codes = {r["value"]: r["region_code"] for r in records(text)}
    assert codes[16377000] == "130100" and codes[12880000] == "130600"


def test_district_code():
    text = "禅城区数字经济发展\n截至2022年底,禅城区数字经济企业超过4500家。"
    assert only(text)["region_code"] == "440604"


def test_new_area_code():
    text = "天津滨海新区数字经济\n到2025年,滨海新区数字经济核心产业增加值突破1000亿元。"
    assert only(text)["region_code"] == "120116"


def test_organisation_name_does_not_move_a_record():
    text = ("成都市数字经济核心产业发展\n据中国信息通信研究院统计,2021年成都市数字经济核心产业"
            "增加值达2580.6亿元。")
    assert only(text)["region_code"] == "510100"


def test_english_organisation_name_does_not_move_a_record():
    text = ("Qingdao fuels industrial internet\nAccording to China Daily, Qingdao will build "
            "more than 35,000 5G base stations.")
    assert only(text)["region_code"] == "370200"


def test_english_regions_per_paragraph():
    text = ("Local plans\n\nBeijing will accelerate. By 2025, the digital economy will reach "
            "about 50% of GDP.\n\nThe Guangzhou plan says that by 2025, 6,000 industrial "
            "enterprises will implement digital transformation.")
    assert [r["region_code"] for r in records(text)] == ["110000", "440100"]


def test_state_council_plan_is_national():
    text = ("Foshan digital economy\nChancheng will build a cluster. Earlier this year, the "
            "State Council issued the plan: by 2025, the core industries will account for 10%.")
    assert [r["region_code"] for r in records(text)] == ["CN"]


def test_national_document_without_a_region():
    text = "我国数字经济发展白皮书\n2021年,我国数字经济规模达到45.5万亿元。"
    assert only(text)["region_code"] == "CN"


def test_traditional_characters_resolve():
    text = "廣西數字經濟論壇\n截至2017年底,廣西數字經濟總規模達5200億元。"
    r = only(text)
    assert (r["region_code"], r["value"]) == ("450000", 5.2e11)


def test_comparison_with_higher_level_stays():
    text = "成都市统计局:2021年,成都数字经济核心产业占全省比重达64.3%。"
    assert only(text)["region_code"] == "510100"
