"""Generates forecast_intervals.json: statsforecast 2.1.1 prediction intervals (levels 80 and 95).

* Benchmarks: Naive, SeasonalNaive, HistoricAverage and SES (fixed and optimised, through
  `fit` + `predict`, the path that gives SES native intervals) on AirPassengers and the
  shampoo series: optimiser-free, to be matched to 1e-9.
* ETS with fixed parameters: for each model with analytic intervals (classes 1-3), the
  parameters statsforecast fits on AirPassengers (shampoo for the non-seasonal ones) are
  run through `ets_f(y, m, model=fitted)` (statsforecast's fixed-model path, no optimiser)
  and `forecast_ets(..., level)`: optimiser-free too, to be matched to 1e-9.
* Textbook Holt / Holt-Winters with fixed smoothing constants and estimated initial
  states: statsforecast 2.1.1's own `ets_f(alpha=..)` misreads a fixed constant as a state
  (its optimiser vector keeps the fixed constants in front of the states the C++ target
  reads from the start), so the reference is R forecast's semantics on statsforecast's
  recursion: `pegelsresid_C` likelihood minimised over the initial states only by scipy's
  Nelder-Mead to tight tolerance, from statsforecast's `initstate`.
* Settings: Croston's constant, ADIDA/IMAPA aggregation levels and the SES/Croston/ADIDA/
  IMAPA search intervals, from statsforecast's own building blocks with the setting put
  where its models hard-code it (optimiser-free: 1e-9); the ETS optimiser's bounds through
  `ets_f(lower=, upper=)` (optimised: within tolerance, fitted constants inside the bounds).

Run with statsforecast==2.1.1 (and scipy) installed:
    python gen_forecast_intervals.py forecast_statsforecast.json forecast_intervals.json
"""
import json, sys
import numpy as np
import scipy.optimize
import statsforecast
from statsforecast.models import (AutoETS, HistoricAverage, Naive, SeasonalNaive,
                                  SimpleExponentialSmoothing,
                                  SimpleExponentialSmoothingOptimized)
from statsforecast.ets import ets_f, forecast_ets, pegelsresid_C, initstate, pegelsfcast_C

base = json.load(open(sys.argv[1]))
air = np.array(base["series"]["air_passengers"]["y"], dtype=float)
shampoo = np.array(base["series"]["shampoo_sales"]["y"], dtype=float)
series = {
    "air_passengers": {"y": air.tolist(), "season_length": 12,
                       "source": "as in forecast_statsforecast.json"},
    "shampoo_sales": {"y": shampoo.tolist(), "season_length": 1,
                      "source": "as in forecast_statsforecast.json"},
}
levels = [80, 95]
h = 30
rows = []


def intervals(out):
    return [{"level": lv, "lower": np.asarray(out[f"lo-{lv}"]).tolist(),
             "upper": np.asarray(out[f"hi-{lv}"]).tolist()} for lv in levels]


bench = [
    ("Naive", {}, lambda m: Naive()),
    ("SeasonalNaive", {}, lambda m: SeasonalNaive(season_length=m)),
    ("HistoricAverage", {}, lambda m: HistoricAverage()),
    ("SES", {"alpha": 0.3}, lambda m: SimpleExponentialSmoothing(alpha=0.3)),
    ("SESOpt", {}, lambda m: SimpleExponentialSmoothingOptimized()),
]
for name in ["air_passengers", "shampoo_sales"]:
    y = np.array(series[name]["y"])
    m = series[name]["season_length"]
    for label, params, make in bench:
        if label == "SeasonalNaive" and m == 1:
            continue
        model = make(m).fit(y)
        out = model.predict(h=h, level=levels)
        rows.append({"kind": "benchmark", "series": name, "method": label, "params": params,
                     "h": h, "mean": out["mean"].tolist(), "intervals": intervals(out)})

ets_models = [
    ("shampoo_sales", "ANN", False), ("shampoo_sales", "AAN", False), ("shampoo_sales", "AAN", True),
    ("shampoo_sales", "MNN", False), ("shampoo_sales", "MAN", False), ("shampoo_sales", "MAN", True),
    ("air_passengers", "ANA", False), ("air_passengers", "AAA", False), ("air_passengers", "AAA", True),
    ("air_passengers", "MNA", False), ("air_passengers", "MAA", False), ("air_passengers", "MAA", True),
    ("air_passengers", "MNM", False), ("air_passengers", "MAM", False), ("air_passengers", "MAM", True),
]
for name, model, damped in ets_models:
    y = np.array(series[name]["y"])
    m = series[name]["season_length"]
    fitted = AutoETS(season_length=m, model=model, damped=damped).fit(y).model_
    fixed = ets_f(y, m, model=fitted)
    out = forecast_ets(fixed, h=h, level=levels)
    par = fixed["par"]
    nan = lambda v: None if np.isnan(v) else float(v)
    rows.append({"kind": "ets_fixed", "series": name, "method": fixed["components"],
                 "params": {"components": fixed["components"], "alpha": float(par[0]),
                            "beta": nan(par[1]), "gamma": nan(par[2]), "phi": nan(par[3]),
                            "initial_states": [float(v) for v in par[4:]]},
                 "sigma2": float(fixed["sigma2"]), "h": h, "mean": out["mean"].tolist(),
                 "intervals": intervals(out),
                 "last_state": [float(v) for v in fixed["states"][-1]]})

# Textbook Holt / Holt-Winters, smoothing constants fixed, initial states estimated.
textbook = [
    ("shampoo_sales", "AAN", dict(alpha=0.3, beta_star=0.1, gamma=None, phi=None)),
    ("shampoo_sales", "AAN", dict(alpha=0.5, beta_star=0.2, gamma=None, phi=0.9)),
    ("air_passengers", "AAA", dict(alpha=0.4, beta_star=0.05, gamma=0.3, phi=None)),
    ("air_passengers", "MAM", dict(alpha=0.6, beta_star=0.02, gamma=0.2, phi=0.95)),
]
for name, comp, p in textbook:
    y = np.array(series[name]["y"])
    m = series[name]["season_length"]
    e, t, s = comp
    damped = p["phi"] is not None
    mm = m if s != "N" else 1
    alpha = p["alpha"]; beta = alpha * p["beta_star"]
    gamma = p["gamma"] if p["gamma"] is not None else np.nan
    phi = p["phi"] if damped else np.nan
    x0 = np.asarray(initstate(y, mm, t, s), dtype=float)
    nseas_free = mm - 1 if s != "N" else 0

    def full_state(x):
        st = list(x)
        if s != "N":
            st.append(mm * (s == "M") - sum(x[2:]))
        return np.array(st)

    def lik(x):
        st = full_state(x)
        if s == "M" and (st[2:] < 0).any():
            return np.inf
        _, _, _, l = pegelsresid_C(y, mm, st, e, t, s, damped, alpha, beta, gamma, phi, 3)
        return l if np.isfinite(l) else np.inf

    best = None
    start = x0
    for _ in range(6):  # restarts until no improvement
        res = scipy.optimize.minimize(lik, start, method="Nelder-Mead",
                                      options=dict(xatol=1e-10, fatol=1e-12, maxiter=200000, maxfev=200000))
        if best is not None and res.fun >= best.fun - 1e-10:
            break
        best = res
        start = res.x
    st = full_state(best.x)
    amse, err, states, l = pegelsresid_C(y, mm, st, e, t, s, damped, alpha, beta, gamma, phi, 3)
    obj = {"states": states, "components": f"{e}{t}{s}{'D' if damped else 'N'}", "par": [alpha, beta, gamma, phi], "m": mm}
    mean = pegelsfcast_C(h, obj)
    rows.append({"kind": "textbook_fixed", "series": name, "method": obj["components"],
                 "params": p, "h": h, "loglik": float(-0.5 * l), "mean": mean.tolist(),
                 "initial_states": st.tolist()})

# Settings (Croston's constant, ADIDA/IMAPA levels, optimiser bounds): statsforecast's
# own building blocks (`_ses_forecast`, `_optimized_ses_forecast`, `_chunk_sums`,
# `_intervals`, `ets_f(lower=, upper=)`) with the setting put where its models hard-code it.
from statsforecast.models import (_ses_forecast, _optimized_ses_forecast, _chunk_sums,
                                  _intervals, _demand)
lumpy = np.array([0, 0, 7, 0, 0, 0, 3, 12, 0, 0, 5, 0, 0, 0, 0, 9, 0, 4, 0, 0,
                  11, 0, 0, 2, 0, 0, 0, 8, 0, 6], dtype=float)
series["lumpy"] = {"y": lumpy.tolist(), "season_length": 1, "source": "hand-made lumpy demand"}
for alpha, sba in [(0.25, False), (0.25, True), (0.6, False)]:
    ydp, _ = _ses_forecast(_demand(lumpy), alpha)
    yip, _ = _ses_forecast(_intervals(lumpy), alpha)
    mean = (0.95 if sba else 1.0) * ydp / yip
    rows.append({"kind": "settings", "series": "lumpy", "method": "croston_with",
                 "params": {"alpha": alpha, "sba": sba}, "h": 4, "mean": [mean] * 4})
for bounds in [(0.05, 0.6), (0.3, 0.9)]:
    ydp, _, a_d = _optimized_ses_forecast(_demand(lumpy), bounds)
    yip, _, a_i = _optimized_ses_forecast(_intervals(lumpy), bounds)
    rows.append({"kind": "settings", "series": "lumpy", "method": "croston_optimized_with",
                 "params": {"bounds": list(bounds)}, "h": 4, "mean": [ydp / yip] * 4,
                 "alphas": [a_d, a_i]})
    fc, _, a = _optimized_ses_forecast(shampoo, bounds)
    rows.append({"kind": "settings", "series": "shampoo_sales", "method": "ses_optimized_with",
                 "params": {"bounds": list(bounds)}, "h": 4, "mean": [fc] * 4, "alphas": [a]})
for level, bounds in [(3, (0.1, 0.3)), (5, (0.05, 0.6)), (1, (0.1, 0.3))]:
    y_cut = lumpy[len(lumpy) % level:]
    fc, _, a = _optimized_ses_forecast(_chunk_sums(y_cut, level), bounds)
    rows.append({"kind": "settings", "series": "lumpy", "method": "adida_with",
                 "params": {"aggregation_level": level, "bounds": list(bounds)}, "h": 4,
                 "mean": [fc / level] * 4, "alphas": [a]})
    fcs = []
    for k in range(1, level + 1):
        y_cut = lumpy[len(lumpy) % k:]
        fk, _, _ = _optimized_ses_forecast(_chunk_sums(y_cut, k), bounds)
        fcs.append(fk / k)
    rows.append({"kind": "settings", "series": "lumpy", "method": "imapa_with",
                 "params": {"max_aggregation_level": level, "bounds": list(bounds)}, "h": 4,
                 "mean": [float(np.mean(fcs))] * 4})
for name, model, damped, lower, upper in [
    ("shampoo_sales", "AAN", False, [1e-4, 1e-4, 1e-4, 0.8], [0.3, 0.2, 0.9999, 0.98]),
    ("shampoo_sales", "AAN", True, [1e-4, 1e-4, 1e-4, 0.7], [0.9999, 0.9999, 0.9999, 0.85]),
    ("air_passengers", "MAM", False, [0.3, 1e-4, 1e-4, 0.8], [0.9, 0.05, 0.5, 0.98]),
    ("air_passengers", "ZZZ", None, [1e-4, 1e-4, 1e-4, 0.8], [0.5, 0.5, 0.5, 0.98]),
]:
    y = np.array(series[name]["y"])
    m = series[name]["season_length"]
    fit = ets_f(y, m, model=model, damped=damped, lower=np.array(lower), upper=np.array(upper))
    out = forecast_ets(fit, h=12)
    par = fit["par"]
    rows.append({"kind": "ets_bounds", "series": name, "method": model,
                 "params": {"damped": damped, "lower": lower, "upper": upper}, "h": 12,
                 "mean": out["mean"].tolist(), "loglik": float(fit["loglik"]),
                 "components": fit["components"],
                 "alpha": float(par[0])})

json.dump({"meta": {"versions": {"statsforecast": statsforecast.__version__, "numpy": np.__version__,
                                 "scipy": scipy.__version__},
                    "generator": "core/tests/data/gen_forecast_intervals.py", "levels": levels},
           "series": series, "results": rows}, open(sys.argv[2], "w"), indent=1)
print(len(rows), "rows")
