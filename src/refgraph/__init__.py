"""refgraph: analytics of sales referral networks.

Who trusts whom, who opens doors, how referrals spread and the warmest way to reach someone.

>>> import refgraph as rg
>>> net = rg.sample_network()
>>> g = net.trust_graph()
>>> g.owner, len(g) == len(net.contacts)
('me', True)
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# Each public name and the module it lives in. `import refgraph` loads none of them: a name is
# imported the first time it is used (PEP 562), so the import takes milliseconds and a script
# pays only for what it uses.
_EXPORTS: dict[str, str] = {
    "plot": "plot",  # a subpackage
    "AskRow": "analysis.asking",
    "WhoToAsk": "analysis.asking",
    "who_to_ask": "analysis.asking",
    "Calibration": "analysis.calibration",
    "calibrate": "analysis.calibration",
    "ReferralForest": "analysis.chains",
    "ReferralTree": "analysis.chains",
    "referral_chains": "analysis.chains",
    "unique_reach": "analysis.chains",
    "bitcoin_otc": "datasets",
    "sample_network": "datasets",
    "DataError": "errors",
    "FileFormatError": "errors",
    "RefgraphError": "errors",
    "StorageError": "errors",
    "UnknownContactError": "errors",
    "MergeReport": "records.combine",
    "merge": "records.combine",
    "follow_ups": "analysis.followups",
    "CultivationPlan": "analysis.forecast",
    "Pick": "analysis.forecast",
    "ReachRow": "analysis.forecast",
    "ReferralForecast": "analysis.forecast",
    "simulate_referrals": "analysis.forecast",
    "whom_to_cultivate": "analysis.forecast",
    "TrustGraph": "engine.graph",
    "Centrality": "analysis.influence",
    "CentresOfInfluence": "analysis.influence",
    "centrality": "analysis.influence",
    "centres_of_influence": "analysis.influence",
    "betweenness": "analysis.influence",
    "brokerage": "analysis.influence",
    "closeness": "analysis.influence",
    "degree": "analysis.influence",
    "eigenvector": "analysis.influence",
    "harmonic": "analysis.influence",
    "pagerank": "analysis.influence",
    "reach": "analysis.influence",
    "strength": "analysis.influence",
    "from_frames": "io",
    "load": "io",
    "read_calendar": "io",
    "read_crm": "io",
    "read_csv": "io",
    "read_graphml": "io",
    "read_linkedin": "io",
    "read_mail": "io",
    "read_network": "io",
    "read_vcard": "io",
    "save": "io",
    "write_csv": "io",
    "write_gexf": "io",
    "write_graphml": "io",
    "harvest": "analysis.leads",
    "Contact": "records.models",
    "ContactKind": "records.models",
    "Interaction": "records.models",
    "InteractionKind": "records.models",
    "Mention": "records.models",
    "Referral": "records.models",
    "ReferralStatus": "records.models",
    "Relationship": "records.models",
    "RelationshipKind": "records.models",
    "Role": "records.models",
    "Scorecard": "records.models",
    "Network": "records.network",
    "IntroPath": "analysis.paths",
    "Link": "analysis.paths",
    "warm_paths": "analysis.paths",
    "warm_paths_many": "analysis.paths",
    "warm_paths_to_organization": "analysis.paths",
    "Ask": "analysis.plans",
    "IntroPlan": "analysis.plans",
    "PlannedFollowUp": "analysis.plans",
    "intro_plan": "analysis.plans",
    "pseudonymize": "records.privacy",
    "write_report": "report",
    "role_moves": "analysis.roles",
    "TrustExplanation": "records.trust",
    "TrustModel": "records.trust",
    "TrustPart": "records.trust",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    """A public name, or a submodule (``rg.io``, ``rg.chains``), loaded on first use."""
    module = _EXPORTS.get(name, name)
    try:
        loaded = importlib.import_module(f".{module}", __name__)
    except ModuleNotFoundError as err:
        if err.name != f"{__name__}.{module}":
            raise
        raise AttributeError(f"module 'refgraph' has no attribute {name!r}") from None
    value = loaded if module == name else getattr(loaded, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*_EXPORTS, "__version__"])


if TYPE_CHECKING:  # the same names, for type checkers and IDEs
    from . import plot
    from .analysis.asking import AskRow, WhoToAsk, who_to_ask
    from .analysis.calibration import Calibration, calibrate
    from .analysis.chains import ReferralForest, ReferralTree, referral_chains, unique_reach
    from .analysis.followups import follow_ups
    from .analysis.forecast import CultivationPlan, Pick, ReachRow, ReferralForecast, simulate_referrals, whom_to_cultivate
    from .analysis.influence import (
        Centrality,
        CentresOfInfluence,
        betweenness,
        brokerage,
        centrality,
        centres_of_influence,
        closeness,
        degree,
        eigenvector,
        harmonic,
        pagerank,
        reach,
        strength,
    )
    from .analysis.leads import harvest
    from .analysis.paths import IntroPath, Link, warm_paths, warm_paths_many, warm_paths_to_organization
    from .analysis.plans import Ask, IntroPlan, PlannedFollowUp, intro_plan
    from .analysis.roles import role_moves
    from .datasets import bitcoin_otc, sample_network
    from .engine.graph import TrustGraph
    from .errors import DataError, FileFormatError, RefgraphError, StorageError, UnknownContactError
    from .io import (
        from_frames,
        load,
        read_calendar,
        read_crm,
        read_csv,
        read_graphml,
        read_linkedin,
        read_mail,
        read_network,
        read_vcard,
        save,
        write_csv,
        write_gexf,
        write_graphml,
    )
    from .records.combine import MergeReport, merge
    from .records.models import (
        Contact,
        ContactKind,
        Interaction,
        InteractionKind,
        Mention,
        Referral,
        ReferralStatus,
        Relationship,
        RelationshipKind,
        Role,
        Scorecard,
    )
    from .records.network import Network
    from .records.privacy import pseudonymize
    from .records.trust import TrustExplanation, TrustModel, TrustPart
    from .report import write_report
