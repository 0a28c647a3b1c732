"""Chart specs for the dashboards (drawn by static/src/pages/dashboard.js, shown as a table beside)."""


def chart_spec(kind: str, labels: list, datasets: list[dict], unit: str, value_title: str,
               category_title: str, horizontal: bool = False, has_data: bool | None = None) -> dict:
    """A chart's data with its axes: whole people or a percent axis scaled to the data, both titled.

    ``has_data`` False shows "no data yet" instead of the chart (e.g. a cohort that has not started);
    by default a chart has data when any value is not zero.
    """
    values = [value for dataset in datasets for value in dataset["data"]]
    spec = {
        "type": kind,
        "horizontal": horizontal,
        "unit": unit,
        "labels": labels,
        "datasets": datasets,
        "value_title": value_title,
        "category_title": category_title,
        "has_data": any(values) if has_data is None else has_data,
    }
    if unit == "%":
        spec["max"] = percent_axis_max(values)
    else:
        spec["integer"] = True  # people: 0, 1, 2 … never 0.5 of a person
    return spec


def percent_axis_max(values: list[float]) -> int:
    """The top of a percent axis: the next ten above the largest value (at most 100)."""
    top = max(values, default=0)
    return min(100, (int(top) // 10 + 1) * 10)
