"""Generates forecast_statsforecast_extra.json: extra statsforecast 2.1.1 reference rows: damped ETS, short seasonal series (Fourier
initial states), a series with zeros, and intermittent methods on a series whose mean
inter-demand interval is exactly 2.5 (ADIDA/IMAPA round it half to even, to 2).

Run in a throwaway virtualenv with statsforecast==2.1.1 installed:
    python gen_forecast_extra.py forecast_statsforecast.json forecast_statsforecast_extra.json
"""
import json, sys
import numpy as np
import statsforecast
from statsforecast.models import (AutoETS, ADIDA, IMAPA, CrostonClassic, CrostonOptimized,
                                  CrostonSBA, TSB, SimpleExponentialSmoothingOptimized, Naive)

base = json.load(open(sys.argv[1]))
air = np.array(base["series"]["air_passengers"]["y"], dtype=float)
shampoo = np.array(base["series"]["shampoo_sales"]["y"], dtype=float)
# Intervals 2,3,2,3,2,3,2,3 -> mean 2.5.
inter = np.zeros(20)
pos, sizes = 0, [4, 7, 3, 9, 5, 6, 2, 8]
for k, gap in enumerate([2, 3, 2, 3, 2, 3, 2, 3]):
    pos += gap
    inter[pos - 1] = sizes[k]
with_zero = np.array([12, 15, 0, 14, 18, 20, 17, 0, 22, 25, 24, 27, 26, 30, 0, 31], float)
series = {
    "air_short": {"y": air[:30].tolist(), "season_length": 12,
                  "source": "first 30 months of AirPassengers (fewer than 3 seasons)"},
    "shampoo_sales": {"y": shampoo.tolist(), "season_length": 1, "source": "as in forecast_statsforecast.json"},
    "air_passengers": {"y": air.tolist(), "season_length": 12, "source": "as in forecast_statsforecast.json"},
    "with_zeros": {"y": with_zero.tolist(), "season_length": 1, "source": "hand-made, trend with zeros"},
    "interval_2_5": {"y": inter.tolist(), "season_length": 1,
                     "source": "hand-made, inter-demand intervals 2,3,2,3,... (mean 2.5)"},
}
h = 12
models = [
    ("shampoo_sales", "ETS(AAdN)", lambda: AutoETS(season_length=1, model="AAN", damped=True)),
    ("air_passengers", "ETS(AAdA)", lambda: AutoETS(season_length=12, model="AAA", damped=True)),
    ("air_passengers", "ETS(MAdM)", lambda: AutoETS(season_length=12, model="MAM", damped=True)),
    ("air_short", "AutoETS", lambda: AutoETS(season_length=12)),
    ("air_short", "ETS(AAA)", lambda: AutoETS(season_length=12, model="AAA")),
    ("with_zeros", "AutoETS", lambda: AutoETS(season_length=1)),
    ("interval_2_5", "ADIDA", lambda: ADIDA()),
    ("interval_2_5", "IMAPA", lambda: IMAPA()),
    ("interval_2_5", "CrostonClassic", lambda: CrostonClassic()),
    ("interval_2_5", "CrostonSBA", lambda: CrostonSBA()),
    ("interval_2_5", "CrostonOptimized", lambda: CrostonOptimized()),
    ("interval_2_5", "TSB(alpha_d=0.3,alpha_p=0.2)", lambda: TSB(alpha_d=0.3, alpha_p=0.2)),
    ("interval_2_5", "SESOpt", lambda: SimpleExponentialSmoothingOptimized()),
    ("interval_2_5", "Naive", lambda: Naive()),
]
results = []
for name, label, make in models:
    y = np.array(series[name]["y"], dtype=float)
    m = make()
    out = m.forecast(y=y, h=h, fitted=True)
    row = {"series": name, "method": label, "h": h, "mean": out["mean"].tolist(),
           "fitted": [None if np.isnan(v) else float(v) for v in out["fitted"]]}
    if label.startswith(("ETS", "AutoETS")):
        m.fit(y=y)
        mod = m.model_
        par = mod["par"]
        row["selected"] = {"components": mod["components"], "loglik": float(mod["loglik"]),
                           "aicc": float(mod["aicc"]),
                           "alpha": float(par[0]), "beta": None if np.isnan(par[1]) else float(par[1]),
                           "gamma": None if np.isnan(par[2]) else float(par[2]),
                           "phi": None if np.isnan(par[3]) else float(par[3])}
    results.append(row)
json.dump({"meta": {"versions": {"statsforecast": statsforecast.__version__, "numpy": np.__version__},
                    "generator": "core/tests/data/gen_forecast_extra.py",
                    "notes": ["fitted[t] is the one-step-ahead in-sample forecast of y[t]; null where undefined",
                              "ETS rows are optimised: compare forecasts within tolerance and likelihoods"]},
           "series": series, "results": results},
          open(sys.argv[2], "w"), indent=1)
print(len(results), "rows")
