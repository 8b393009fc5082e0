-- description: Cascade rate per origin airport: share of all flights, and of late arrivals (arrdelay >= 15), that delayed the aircraft's next departure.
SELECT
    origin,
    COUNT(*) AS flights,
    COUNT(CASE WHEN arrdelay >= 15 THEN 1 END) AS late_arrivals,
    COUNT(CASE WHEN cascade THEN 1 END) AS cascades,
    ROUND(CAST(COUNT(CASE WHEN cascade THEN 1 END) AS DOUBLE) / COUNT(*), 4) AS cascade_rate,
    ROUND(
        CAST(COUNT(CASE WHEN cascade THEN 1 END) AS DOUBLE)
        / NULLIF(COUNT(CASE WHEN arrdelay >= 15 THEN 1 END), 0),
        4
    ) AS cascade_rate_of_late
FROM features
GROUP BY origin
ORDER BY cascades DESC, cascade_rate DESC, origin
