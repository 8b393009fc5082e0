-- description: Cascade rate by the scheduled turnaround the delay must cross (next_turnaroundminutes, before the aircraft's next leg) in bands <30, 30-44, 45-59, 60-89, 90-119, 120+, none.
SELECT
    turnaround_band,
    band_order,
    COUNT(*) AS flights,
    COUNT(CASE WHEN arrdelay >= 15 THEN 1 END) AS late_arrivals,
    COUNT(CASE WHEN cascade THEN 1 END) AS cascades,
    ROUND(CAST(COUNT(CASE WHEN cascade THEN 1 END) AS DOUBLE) / COUNT(*), 4) AS cascade_rate,
    ROUND(
        CAST(COUNT(CASE WHEN cascade THEN 1 END) AS DOUBLE)
        / NULLIF(COUNT(CASE WHEN arrdelay >= 15 THEN 1 END), 0),
        4
    ) AS cascade_rate_of_late
FROM (
    SELECT
        arrdelay,
        cascade,
        CASE
            WHEN next_turnaroundminutes IS NULL THEN 'none'
            WHEN next_turnaroundminutes < 30 THEN '<30'
            WHEN next_turnaroundminutes < 45 THEN '30-44'
            WHEN next_turnaroundminutes < 60 THEN '45-59'
            WHEN next_turnaroundminutes < 90 THEN '60-89'
            WHEN next_turnaroundminutes < 120 THEN '90-119'
            ELSE '120+'
        END AS turnaround_band,
        CASE
            WHEN next_turnaroundminutes IS NULL THEN 7
            WHEN next_turnaroundminutes < 30 THEN 1
            WHEN next_turnaroundminutes < 45 THEN 2
            WHEN next_turnaroundminutes < 60 THEN 3
            WHEN next_turnaroundminutes < 90 THEN 4
            WHEN next_turnaroundminutes < 120 THEN 5
            ELSE 6
        END AS band_order
    FROM features
) AS banded
GROUP BY turnaround_band, band_order
ORDER BY band_order
