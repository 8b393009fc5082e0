-- description: On-time rate (share of arrivals with arrdelay < 15), mean arrival delay and flights by carrier and month.
SELECT
    carrier,
    year,
    month,
    COUNT(*) AS flights,
    COUNT(arrdelay) AS arrivals,
    ROUND(CAST(COUNT(CASE WHEN arrdelay < 15 THEN 1 END) AS DOUBLE) / NULLIF(COUNT(arrdelay), 0), 4) AS ontime_rate,
    ROUND(AVG(arrdelay), 2) AS mean_arrdelay
FROM features
GROUP BY carrier, year, month
ORDER BY carrier, year, month
