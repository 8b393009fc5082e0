-- description: By scheduled turnaround band (turnaroundminutes, after the inbound leg): mean inbound delay, mean depdelay, mean delay absorbed (prevflightarrdelay - depdelay) and share of late inbounds (>= 15) that left on time.
SELECT
    turnaround_band,
    band_order,
    COUNT(*) AS flights,
    ROUND(AVG(prevflightarrdelay), 2) AS mean_inbound_delay,
    ROUND(AVG(depdelay), 2) AS mean_depdelay,
    ROUND(AVG(prevflightarrdelay - depdelay), 2) AS mean_delay_absorbed,
    COUNT(CASE WHEN prevflightarrdelay >= 15 THEN 1 END) AS late_inbounds,
    ROUND(
        CAST(COUNT(CASE WHEN prevflightarrdelay >= 15 AND depdelay < 15 THEN 1 END) AS DOUBLE)
        / NULLIF(COUNT(CASE WHEN prevflightarrdelay >= 15 THEN 1 END), 0),
        4
    ) AS late_inbound_recovered_rate
FROM (
    SELECT
        prevflightarrdelay,
        depdelay,
        CASE
            WHEN turnaroundminutes < 30 THEN '<30'
            WHEN turnaroundminutes < 45 THEN '30-44'
            WHEN turnaroundminutes < 60 THEN '45-59'
            WHEN turnaroundminutes < 90 THEN '60-89'
            WHEN turnaroundminutes < 120 THEN '90-119'
            ELSE '120+'
        END AS turnaround_band,
        CASE
            WHEN turnaroundminutes < 30 THEN 1
            WHEN turnaroundminutes < 45 THEN 2
            WHEN turnaroundminutes < 60 THEN 3
            WHEN turnaroundminutes < 90 THEN 4
            WHEN turnaroundminutes < 120 THEN 5
            ELSE 6
        END AS band_order
    FROM features
    WHERE turnaroundminutes IS NOT NULL AND prevflightarrdelay IS NOT NULL AND depdelay IS NOT NULL
) AS banded
GROUP BY turnaround_band, band_order
ORDER BY band_order
