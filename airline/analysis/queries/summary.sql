-- description: One-row summary: flights, first and last flight date, carriers, airports, on-time rate and overall cascade rate.
SELECT
    COUNT(*) AS flights,
    MIN(flight_date) AS first_flight_date,
    MAX(flight_date) AS last_flight_date,
    COUNT(DISTINCT carrier) AS carriers,
    COUNT(DISTINCT origin) AS origins,
    ROUND(CAST(COUNT(CASE WHEN arrdelay < 15 THEN 1 END) AS DOUBLE) / NULLIF(COUNT(arrdelay), 0), 4) AS ontime_rate,
    ROUND(CAST(COUNT(CASE WHEN cascade THEN 1 END) AS DOUBLE) / NULLIF(COUNT(*), 0), 4) AS cascade_rate
FROM features
