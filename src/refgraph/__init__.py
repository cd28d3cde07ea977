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
    "AskRow": "asking",
    "WhoToAsk": "asking",
    "who_to_ask": "asking",
    "Calibration": "calibration",
    "calibrate": "calibration",
    "ReferralForest": "chains",
    "ReferralTree": "chains",
    "referral_chains": "chains",
    "unique_reach": "chains",
    "bitcoin_otc": "datasets",
    "sample_network": "datasets",
    "DataError": "errors",
    "FileFormatError": "errors",
    "RefgraphError": "errors",
    "StorageError": "errors",
    "UnknownContactError": "errors",
    "MergeReport": "combine",
    "merge": "combine",
    "follow_ups": "followups",
    "CultivationPlan": "forecast",
    "Pick": "forecast",
    "ReachRow": "forecast",
    "ReferralForecast": "forecast",
    "simulate_referrals": "forecast",
    "whom_to_cultivate": "forecast",
    "TrustGraph": "graph",
    "Centrality": "influence",
    "CentresOfInfluence": "influence",
    "centrality": "influence",
    "centres_of_influence": "influence",
    "betweenness": "influence",
    "brokerage": "influence",
    "closeness": "influence",
    "degree": "influence",
    "eigenvector": "influence",
    "harmonic": "influence",
    "pagerank": "influence",
    "reach": "influence",
    "strength": "influence",
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
    "harvest": "leads",
    "Contact": "models",
    "ContactKind": "models",
    "Interaction": "models",
    "InteractionKind": "models",
    "Mention": "models",
    "Referral": "models",
    "ReferralStatus": "models",
    "Relationship": "models",
    "RelationshipKind": "models",
    "Role": "models",
    "Scorecard": "models",
    "Network": "network",
    "IntroPath": "paths",
    "Link": "paths",
    "warm_paths": "paths",
    "warm_paths_many": "paths",
    "warm_paths_to_organization": "paths",
    "Ask": "plans",
    "IntroPlan": "plans",
    "PlannedFollowUp": "plans",
    "intro_plan": "plans",
    "pseudonymize": "privacy",
    "write_report": "report",
    "role_moves": "roles",
    "TrustExplanation": "trust",
    "TrustModel": "trust",
    "TrustPart": "trust",
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
    from .asking import AskRow, WhoToAsk, who_to_ask
    from .calibration import Calibration, calibrate
    from .chains import ReferralForest, ReferralTree, referral_chains, unique_reach
    from .combine import MergeReport, merge
    from .datasets import bitcoin_otc, sample_network
    from .errors import DataError, FileFormatError, RefgraphError, StorageError, UnknownContactError
    from .followups import follow_ups
    from .forecast import CultivationPlan, Pick, ReachRow, ReferralForecast, simulate_referrals, whom_to_cultivate
    from .graph import TrustGraph
    from .influence import (
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
    from .leads import harvest
    from .models import (
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
    from .network import Network
    from .paths import IntroPath, Link, warm_paths, warm_paths_many, warm_paths_to_organization
    from .plans import Ask, IntroPlan, PlannedFollowUp, intro_plan
    from .privacy import pseudonymize
    from .report import write_report
    from .roles import role_moves
    from .trust import TrustExplanation, TrustModel, TrustPart
