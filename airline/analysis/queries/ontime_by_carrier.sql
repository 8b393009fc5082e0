-- description: Carrier ranking: on-time rate (arrdelay < 15), mean arrival delay and flights per carrier, best on-time rate first.
SELECT
    carrier,
    COUNT(*) AS flights,
    COUNT(arrdelay) AS arrivals,
    ROUND(CAST(COUNT(CASE WHEN arrdelay < 15 THEN 1 END) AS DOUBLE) / NULLIF(COUNT(arrdelay), 0), 4) AS ontime_rate,
    ROUND(AVG(arrdelay), 2) AS mean_arrdelay
FROM features
GROUP BY carrier
ORDER BY ontime_rate DESC, carrier
