-- description: Monthly trend over all carriers: on-time rate (arrdelay < 15), mean arrival delay, flights and cascade rate per month.
SELECT
    year,
    month,
    COUNT(*) AS flights,
    COUNT(arrdelay) AS arrivals,
    ROUND(CAST(COUNT(CASE WHEN arrdelay < 15 THEN 1 END) AS DOUBLE) / NULLIF(COUNT(arrdelay), 0), 4) AS ontime_rate,
    ROUND(AVG(arrdelay), 2) AS mean_arrdelay,
    ROUND(CAST(COUNT(CASE WHEN cascade THEN 1 END) AS DOUBLE) / COUNT(*), 4) AS cascade_rate
FROM features
GROUP BY year, month
ORDER BY year, month
