"""refgraph: analytics of sales referral networks.

Who trusts whom, who opens doors, how referrals spread and the warmest way to reach someone.

>>> import refgraph as rg
>>> net = rg.sample_network()
>>> g = net.trust_graph()
>>> g.owner, len(g) == len(net.contacts)
('me', True)
"""

from __future__ import annotations

from . import plot
from .asking import AskRow, WhoToAsk, who_to_ask
from .calibration import Calibration, calibrate
from .chains import ReferralForest, ReferralTree, referral_chains, unique_reach
from .datasets import bitcoin_otc, sample_network
from .errors import DataError, FileFormatError, RefgraphError, StorageError, UnknownContactError
from .followups import follow_ups
from .forecast import CultivationPlan, Pick, ReachRow, ReferralForecast, simulate_referrals, whom_to_cultivate
from .graph import TrustGraph
from .harvest import harvest
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

__version__ = "0.1.0"

__all__ = [
    "Ask",
    "AskRow",
    "Calibration",
    "Centrality",
    "CentresOfInfluence",
    "Contact",
    "ContactKind",
    "CultivationPlan",
    "DataError",
    "FileFormatError",
    "Interaction",
    "InteractionKind",
    "IntroPath",
    "IntroPlan",
    "Link",
    "Mention",
    "Network",
    "Pick",
    "PlannedFollowUp",
    "ReachRow",
    "Referral",
    "ReferralForecast",
    "ReferralForest",
    "ReferralStatus",
    "ReferralTree",
    "RefgraphError",
    "Relationship",
    "RelationshipKind",
    "Role",
    "Scorecard",
    "StorageError",
    "TrustExplanation",
    "TrustGraph",
    "TrustModel",
    "TrustPart",
    "UnknownContactError",
    "WhoToAsk",
    "betweenness",
    "bitcoin_otc",
    "brokerage",
    "calibrate",
    "centrality",
    "centres_of_influence",
    "closeness",
    "degree",
    "eigenvector",
    "follow_ups",
    "from_frames",
    "harmonic",
    "harvest",
    "intro_plan",
    "load",
    "pagerank",
    "plot",
    "pseudonymize",
    "reach",
    "read_calendar",
    "read_crm",
    "read_csv",
    "read_graphml",
    "read_linkedin",
    "read_mail",
    "read_network",
    "read_vcard",
    "referral_chains",
    "role_moves",
    "sample_network",
    "save",
    "simulate_referrals",
    "strength",
    "unique_reach",
    "warm_paths",
    "warm_paths_many",
    "warm_paths_to_organization",
    "who_to_ask",
    "whom_to_cultivate",
    "write_csv",
    "write_gexf",
    "write_graphml",
    "write_report",
]
