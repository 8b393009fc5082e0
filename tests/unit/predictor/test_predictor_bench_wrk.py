"""The load-test figures are read correctly from wrk's output."""

from airline.bench.predict import parse_wrk

WRK_OUTPUT = """Running 10s test @ http://127.0.0.1:40123/predict
  2 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     4.10ms    2.05ms  46.00ms   90.12%
    Req/Sec     1.08k   120.33     1.30k    70.00%
  Latency Distribution
     50%    3.92ms
     75%    4.50ms
     90%    5.80ms
     99%  227.98us
  20230 requests in 10.01s, 9.87MB read
  Non-2xx or 3xx responses: 3
Requests/sec:   2021.98
Transfer/sec:      0.99MB
"""


def test_throughput_percentiles_and_errors_are_parsed() -> None:
    figures = parse_wrk(WRK_OUTPUT)
    assert figures["requests"] == 20230
    assert figures["requests_per_second"] == 2021.98
    assert figures["p50_ms"] == 3.92
    assert figures["p99_ms"] == 0.22798
    assert figures["non_2xx"] == 3
    assert figures["socket_errors"] == 0
