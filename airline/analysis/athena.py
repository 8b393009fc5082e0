"""CloudFormation for the analysis queries as Athena named queries (for the deploy templates).

The query text is `athena_sql(name)`: the same library text the local engine runs.
"""

from typing import Any

from airline.analysis.library import list_queries

#: CloudFormation limits of AWS::Athena::NamedQuery.
_MAX_NAME = 128
_MAX_DESCRIPTION = 1024


def logical_id_for(name: str, prefix: str = "AnalysisQuery") -> str:
    """CloudFormation logical id for a query name: `ontime_by_carrier_month` -> `AnalysisQueryOntimeByCarrierMonth`."""
    return prefix + "".join(part.capitalize() for part in name.split("_"))


def render_named_query_resources(
    database: str | dict[str, Any],
    workgroup: str | dict[str, Any] | None = None,
    name_prefix: str = "airline",
) -> dict[str, dict[str, Any]]:
    """`AWS::Athena::NamedQuery` resources, one per library query, keyed by logical id.

    `database` (and `workgroup`) may be a literal or an intrinsic such as `{"Ref": "GlueDatabase"}`;
    the queries read the unqualified table `features` of that database. Raises ValueError when a
    generated name or description exceeds the CloudFormation limits.
    """
    resources: dict[str, dict[str, Any]] = {}
    for query in list_queries():
        properties: dict[str, Any] = {
            "Name": f"{name_prefix}-{query.name}",
            "Description": query.description,
            "Database": database,
            "QueryString": query.sql,
        }
        if len(properties["Name"]) > _MAX_NAME or len(query.description) > _MAX_DESCRIPTION:
            raise ValueError(f"Named query {query.name!r}: name or description exceeds the CloudFormation limits")
        if workgroup is not None:
            properties["WorkGroup"] = workgroup
        resources[logical_id_for(query.name)] = {"Type": "AWS::Athena::NamedQuery", "Properties": properties}
    return resources
