-- description: Top 20 origin-dest routes by mean arrival delay, among routes with at least 50 flights with a recorded arrival delay.
SELECT
    origin,
    dest,
    COUNT(*) AS flights,
    ROUND(AVG(arrdelay), 2) AS mean_arrdelay,
    ROUND(CAST(COUNT(CASE WHEN arrdelay < 15 THEN 1 END) AS DOUBLE) / COUNT(arrdelay), 4) AS ontime_rate
FROM features
GROUP BY origin, dest
HAVING COUNT(arrdelay) >= 50
ORDER BY mean_arrdelay DESC, flights DESC, origin, dest
LIMIT 20
