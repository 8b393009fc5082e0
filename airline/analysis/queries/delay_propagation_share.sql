-- description: Of departure-delay minutes on late departures (depdelay > 0), the share that arrived with the aircraft (min(depdelay, prevflightarrdelay) when the inbound leg was late) vs created on this leg; overall and by carrier.
SELECT
    scope,
    carrier,
    delayed_departures,
    delay_minutes,
    propagated_minutes,
    delay_minutes - propagated_minutes AS created_minutes,
    ROUND(CAST(propagated_minutes AS DOUBLE) / delay_minutes, 4) AS propagated_share,
    ROUND(CAST(delay_minutes - propagated_minutes AS DOUBLE) / delay_minutes, 4) AS created_share,
    reported_late_aircraft_minutes
FROM (
    SELECT
        'overall' AS scope,
        'ALL' AS carrier,
        COUNT(*) AS delayed_departures,
        SUM(depdelay) AS delay_minutes,
        SUM(inherited) AS propagated_minutes,
        SUM(COALESCE(late_aircraft_delay, 0)) AS reported_late_aircraft_minutes,
        0 AS scope_order
    FROM (
        SELECT
            depdelay,
            late_aircraft_delay,
            CASE
                WHEN prevflightarrdelay IS NULL OR prevflightarrdelay <= 0 THEN 0.0E0
                WHEN prevflightarrdelay < depdelay THEN prevflightarrdelay
                ELSE depdelay
            END AS inherited
        FROM features
        WHERE depdelay > 0
    ) AS overall_legs
    UNION ALL
    SELECT
        'carrier' AS scope,
        carrier,
        COUNT(*) AS delayed_departures,
        SUM(depdelay) AS delay_minutes,
        SUM(inherited) AS propagated_minutes,
        SUM(COALESCE(late_aircraft_delay, 0)) AS reported_late_aircraft_minutes,
        1 AS scope_order
    FROM (
        SELECT
            carrier,
            depdelay,
            late_aircraft_delay,
            CASE
                WHEN prevflightarrdelay IS NULL OR prevflightarrdelay <= 0 THEN 0.0E0
                WHEN prevflightarrdelay < depdelay THEN prevflightarrdelay
                ELSE depdelay
            END AS inherited
        FROM features
        WHERE depdelay > 0
    ) AS carrier_legs
    GROUP BY carrier
) AS shares
ORDER BY scope_order, propagated_share DESC, carrier
