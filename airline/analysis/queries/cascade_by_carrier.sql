-- description: Cascade rate per carrier: share of all flights, and of late arrivals (arrdelay >= 15), whose lateness carried into the next leg's departure.
SELECT
    carrier,
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
GROUP BY carrier
ORDER BY cascade_rate DESC, carrier
