"""Word lists shared by the attribution, coreference and scoring steps."""

from __future__ import annotations


def _forms(spec: str) -> dict[str, str]:
    # Each entry is "role:form,form,…"; the role is the past tense shown in chains.
    table: dict[str, str] = {}
    for entry in spec.split():
        role, forms = entry.split(":")
        for form in forms.split(","):
            table[form] = role.replace("_", " ")
    return table


#: Reporting verbs, every inflection mapped to the role used in a chain link.
SPEECH_CUES = _forms(
    """said:said,says,say,saying stated:stated,states told:told,tells,telling
    reported:reported,reporting,reports wrote:wrote,writes,written,writing added:added,adds,adding
    noted:noted,noting claimed:claimed,claiming argued:argued,argues,argue,arguing
    insisted:insisted,insists,insist,insisting explained:explained,explains,explaining
    announced:announced,announces,announcing declared:declared,declares,declaring
    warned:warned,warns,warning acknowledged:acknowledged,acknowledges,acknowledging
    admitted:admitted,admits,admitting conceded:conceded,concedes confirmed:confirmed,confirms,confirming
    denied:denied,denies,deny,denying asserted:asserted,asserts,asserting maintained:maintained,maintains
    predicted:predicted,predicts,predicting suggested:suggested,suggests,suggesting contended:contended,contends
    alleged:alleged,alleges,alleging recalled:recalled,recalls,recalling tweeted:tweeted,tweets,tweeting
    emphasized:emphasized,emphasizes,emphasised,emphasises stressed:stressed,stresses
    observed:observed,observes remarked:remarked,remarks responded:responded,responds replied:replied,replies
    asked:asked,asks estimated:estimated,estimates complained:complained,complains charged:charged
    vowed:vowed,vows,vowing promised:promised,promises,promising pledged:pledged,pledges,pledging
    testified:testified,testifies disclosed:disclosed,discloses revealed:revealed,reveals
    countered:countered,counters continued:continued mentioned:mentioned,mentions reiterated:reiterated,reiterates
    repeated:repeated agreed:agreed,agrees echoed:echoed,echoes boasted:boasted,boasts bragged:bragged
    joked:joked,jokes lamented:lamented,laments cautioned:cautioned,cautions assured:assured,assures
    informed:informed accused:accused,accuses blamed:blamed,blames believed:believes,believe,believed
    thought:thinks,thought worried:worries,worried,fears,feared hoped:hopes,hoped expected:expects,expected
    cited:cited,citing dismissed:dismissed,dismisses rejected:rejected,rejects refuted:refuted,refutes
    disputed:disputed,disputes questioned:questioned,questions wondered:wondered,wonders
    pointed_out:pointed knew:knows,knew learned:learned,learnt called:called,calls,calling
    attacked:attacked,attacks,attacking criticized:criticized,criticizes,criticised,criticising,criticizing
    blasted:blasted,blasts slammed:slammed,slams praised:praised,praises described:described,describes
    urged:urged,urges,urging demanded:demanded,demands,demanding proposed:proposed,proposes
    wanted:wants,wanted planned:plans,planned supported:supports,supported defended:defended,defends,defending
    mocked:mocked,mocks touted:touted,touts declined:declined,declines condemned:condemned,condemns
    accused:accusing blamed:blaming predicted:forecast
    spoke:spoke,speaks,spoken talked:talked,talks endorsed:endorsed,endorses opposed:opposed,opposes
    expressed:expressed,expresses voted:voted,votes rated:rated,rates published:published,publishes
    offered:offered,offers
    issued:issued,issues refused:refused,refuses questioned:questioning
    decided:decided,decides ruled:ruled likened:likened,likens promoted:promoted,promotes
    highlighted:highlighted,highlights threatened:threatened,threatens encouraged:encouraged,encourages,encouraging
    backed:backed accused:accused,accuses recommended:recommended,recommends assumed:assumed,assumes
    advocated:advocated,advocates challenged:challenged,challenges,challenging overruled:overruled
    lambasted:lambasted,lambasting denounced:denounced,denounces,denouncing applauded:applauded
    welcomed:welcomed,welcomes hailed:hailed,hails ridiculed:ridiculed derided:derided
    acknowledged:acknowledging conveyed:conveyed,conveys sued:sued,sues intended:intends,intended sought:seeks,sought
    claimed:claims noted:notes charged:charges,charging cited:cites continued:continues repeated:repeats
    bragged:brags ridiculed:ridicules derided:derides lambasted:lambastes applauded:applauds learned:learns
    quipped:quipped,quips yelled:yelled,yells shouted:shouted,shouts screamed:screamed,screams
    chanted:chanted,chants whispered:whispered,whispers muttered:muttered,mutters
    exclaimed:exclaimed,exclaims retorted:retorted,retorts mused:mused,muses pleaded:pleaded,pleads
    implored:implored,implores exhorted:exhorted,exhorts chastised:chastised,chastises scolded:scolded,scolds
    rebuked:rebuked,rebukes bemoaned:bemoaned,bemoans decried:decried,decries deplored:deplored,deplores
    railed:railed,rails proclaimed:proclaimed,proclaims heralded:heralded,heralds
    signaled:signaled,signalled,signals hinted:hinted,hints speculated:speculated,speculates
    concluded:concluded,concludes reminded:reminded,reminds
    retweeted:retweeted,retweets branded:branded,brands labeled:labeled,labelled,labels dubbed:dubbed,dubs
    characterized:characterized,characterised,characterizes,characterises portrayed:portrayed,portrays
    painted:painted,paints,painting cast:casts,casting depicted:depicted,depicts,depicting
    portrayed:portraying characterized:characterizing,characterising
    downplayed:downplayed,downplays outlined:outlined,outlines unveiled:unveiled,unveils
    knew:know understood:understood,understands,understand felt:felt,feels,feel suspected:suspected,suspects,suspect
    realized:realized,realizes,realised,realises doubted:doubted,doubts commented:commented,comments
    discovered:discovered,discovers
    referenced:referenced,references discussed:discussed,discusses
    saw:saw,sees,see viewed:viewed,views,view regarded:regarded,regards,regard considered:considered,considers,consider
    admired:admired,admires despised:despised,despises resented:resented,resents respected:respected,respects
    preferred:preferred,prefers lauded:lauded,lauds commended:commended,commends complimented:complimented
    thanked:thanked congratulated:congratulated,congratulates championed:championed extolled:extolled,extols
    castigated:castigated,castigates excoriated:excoriated,excoriates assailed:assailed,assails
    vilified:vilified,vilifies faulted:faulted,faults censured:censured,censures reprimanded:reprimanded
    chided:chided,chides berated:berated,berates scorned:scorned,scorns
    """.replace("\n", " ")
)

def _progressive(roles: dict[str, str]) -> dict[str, str]:
    # "described" -> "describing", "warned" -> "warning": the -ing forms of the regular roles.
    table: dict[str, str] = {}
    for role in set(roles.values()):
        if role.endswith("ed") and " " not in role:
            stem = role[:-2]
            table.setdefault(stem[:-1] + "ying" if stem.endswith("i") else stem + "ing", role)
    return {form: role for form, role in table.items() if form not in roles}


#: "-ing" forms of reporting verbs, read only after a form of "be" ("Trump is warning voters that …").
PROGRESSIVE_CUES = {**_progressive(SPEECH_CUES), "seeking": "sought", "thinking": "thought", "saying": "said"}


#: Plain forms that are nouns before "that" far more often than verbs ("a strong signal that …"), and
#: words the stripping of "-ed" makes that are no plain form ("noted" -> "not", "hoped" -> "hop").
_NOUN_BASES = frozenset("signal hint reason brand label outline rail chant shout scream whisper yell herald "
                        "not rat hop stat continue".split())


def _bases(roles: dict[str, str]) -> dict[str, str]:
    # "warned" -> "warn", "argued" -> "argue", "admitted" -> "admit", "worried" -> "worry": the plain forms of the regular
    # roles, for plural subjects ("Democrats warn that …"). A form that is no word never occurs.
    table: dict[str, str] = {}
    for role in set(roles.values()):
        if role.endswith("ed") and " " not in role:
            candidates = [role[:-2], role[:-1]] + ([role[:-3]] if role[-3] == role[-4] else []) \
                + ([role[:-3] + "y"] if role.endswith("ied") else [])  # "worried" -> "worry"
            for base in candidates:
                if base not in roles and len(base) > 2 and base not in _NOUN_BASES:
                    table.setdefault(base, role)
    return table


#: Plain forms of reporting verbs; like the nouns among the cues they count only before "that" or ":".
BASE_CUES = {**_bases(SPEECH_CUES), "think": "thought", "fear": "feared", "tell": "told", "seek": "sought"}

#: Forms of "be" that make an "-ing" verb finite ("is warning", "was describing", "isn't saying").
PROGRESSIVE_AUXILIARIES = frozenset("is are was were am 's been be isn't aren't wasn't weren't".split())

def _passives(spec: str) -> dict[str, frozenset[str]]:
    # Each entry is "form,form:word,word": the passive forms and the words that may follow them.
    table: dict[str, frozenset[str]] = {}
    for entry in spec.split():
        forms, followers = entry.split(":")
        for form in forms.split(","):
            table[form] = frozenset(followers.split(","))
    return table


#: Passive reporting verbs and the words after them that make the passive a report ("was accused
#: of", "is expected to", "was described as", "it was reported that").
PASSIVE_REPORTS = _passives(
    """accused:of called:a,an,the,"   alleged:to,that criticized,criticised:for,as blamed:for described:as
    expected:to said:to,that reported:to,that believed:to,that thought:to considered:to,a,an,the,as
    rumored,rumoured:to seen:as viewed:as regarded:as labeled,labelled,branded,dubbed:as,a,an,the,"
    quoted:as asked:to,about,whether,how,why,what,if told:that,to warned:that,to,not,of rated:as praised:for,as condemned:for,as ridiculed:for,as
    urged:to announced:that estimated:that,to known:to""".replace('"   ', '" ')
)

#: Verbs of seeing and judging that report only with an "as" after their object ("sees the deal as a
#: betrayal", "considered him as a rival"); "saw a rise in prices" reports nothing.
AS_CUES = frozenset("saw sees see viewed views view regarded regards regard considered considers consider "
                    "painted paints painting casts casting depicted depicts depicting".split())

#: Verbs of depicting among them: they report only a person depicted ("painted his rival as a crook",
#: "casting himself as a champion"), and only as a role or a description; "painted the wall as a favour"
#: and "painted the fence as soon as the rain stopped" report nothing.
DEPICT_CUES = frozenset("painted paints painting casts casting depicted depicts depicting".split())

#: Words after "as" that make it no role: a conjunction or adverb ("as soon as", "as well", "as if").
AS_NON_ROLES = frozenset("soon well long much many far if though usual ever always before yet part".split())

#: Nouns of purpose or outcome after "as a" ("as a favour", "as a gift"): what an act was for, no role.
AS_PURPOSES = frozenset(
    """favour favor gift present courtesy kindness gesture token tribute reward precaution result consequence
    matter rule whole surprise joke prank hobby test trial experiment service memorial reminder backdrop
    way means""".split())

#: Reflexive pronouns, which name the subject as the one depicted ("casting himself as …").
REFLEXIVES = frozenset("himself herself themselves myself ourselves yourself yourselves".split())

#: Verbs of the manner of speaking: they report only words quoted or a "that"-clause ("shouted at
#: volunteers" reports nothing).
MANNER_CUES = frozenset(
    """quipped quips yelled yells shouted shouts screamed screams chanted chants whispered whispers muttered
    mutters exclaimed exclaims retorted retorts mused muses""".split()
)

#: Cue forms that are also common nouns; they count only when followed by "that" or ":".
AMBIGUOUS_CUES = frozenset(
    "states reports remarks questions promises fears notes claims worries hopes knows thought repeated "
    "continued expected informed calls demands plans supports attacks offers issues rules rates votes talks "
    "promotes highlights threatens intends intended seeks sought estimates charges cites continues repeats learns "
    "comments references "
    "shouts screams chants whispers rails heralds signals hints reminds brands labels dubs outlines concluded "
    "concludes".split()
)
#: Cues of cognition and intention need an explicit clause after them ("believes that …").
COGNITION_CUES = frozenset(
    "believes believe believed thinks thought hopes hoped expects expected knows knew worried worries fears feared "
    "assumed assumes know understood understands understand felt feels feel suspected suspects suspect realized "
    "realizes realised realises doubted doubts think fear hope assume worry realize realise doubt discovered "
    "discovers".split()
)

#: The role of each cue form of cognition ("knows" -> "knew").
COGNITION_CUES_ROLE = {form: SPEECH_CUES.get(form, "") for form in COGNITION_CUES}

#: Roles of the verbs of thought, which take a clause ("believes the plan will work and was …").
COGNITION_ROLES = frozenset("believed thought hoped expected knew worried assumed feared understood felt suspected "
                            "realized doubted".split())

#: Verbs that can follow their content ("…, Lavrov said during a speech").
PARENTHETICAL_ROLES = frozenset(
    """said told stated reported wrote added noted claimed argued insisted explained announced declared warned
    acknowledged admitted confirmed asserted alleged tweeted predicted suggested estimated recalled conceded
    agreed countered continued replied responded asked observed remarked cautioned boasted joked complained
    lamented maintained contended emphasized stressed reiterated repeated mentioned testified thought believed
    wrote learned showed found quipped yelled shouted screamed chanted sang whispered muttered exclaimed retorted
    mused pleaded speculated concluded reminded""".split()
)

#: Speech verbs that can open a nested report ("… stated that Putin had told him that …").
NESTABLE_ROLES = frozenset(
    """said stated told reported wrote added noted claimed argued insisted explained announced declared warned
    acknowledged admitted confirmed asserted alleged tweeted conveyed""".split()
)

#: Nouns that name a report ("Trump's claim that …"), mapped to the role of the link.
NOMINAL_CUES = {
    "claim": "claimed", "statement": "stated", "assertion": "asserted", "allegation": "alleged",
    "remark": "said", "comment": "said", "promise": "promised", "pledge": "pledged",
    "suggestion": "suggested", "argument": "argued", "insistence": "insisted", "belief": "believed",
    "warning": "warned", "accusation": "accused", "admission": "admitted", "announcement": "announced",
    "contention": "contended", "assessment": "assessed", "conclusion": "concluded", "acknowledgment": "acknowledged",
    "acknowledgement": "acknowledged", "bet": "bet", "complaint": "complained", "prediction": "predicted",
    "assurance": "assured", "vow": "vowed", "view": "viewed", "theory": "theorized", "suspicion": "suspected",
    "expectation": "expected", "hope": "hoped", "fear": "feared", "concern": "worried", "message": "said",
    "position": "held", "finding": "found", "estimate": "estimated",
    "emphasis": "emphasized", "proclamation": "proclaimed", "declaration": "declared", "insinuation": "insinuated",
    "implication": "implied", "recommendation": "recommended", "demand": "demanded", "request": "requested",
    "proposal": "proposed", "plea": "pleaded", "threat": "threatened", "reminder": "reminded",
    "assumption": "assumed",
    "conviction": "believed", "explanation": "explained", "response": "responded", "reply": "replied",
    "retort": "retorted", "charge": "charged", "criticism": "criticized", "objection": "objected",
    "denial": "denied", "confirmation": "confirmed", "concession": "conceded", "boast": "boasted",
    "joke": "joked", "observation": "observed", "testimony": "testified", "insistence": "insisted",
}

#: Nouns of speech acts that commit or ask, naming what their owner said should be done with "to" ("the
#: senator's promise to cut taxes", "her call to reopen the inquiry"), mapped to the role of the link. Nouns
#: of plan and effort name events, not reports ("Their effort to find survivors continued").
INTENTION_NOUNS = {
    "promise": "promised", "promises": "promised", "pledge": "pledged", "vow": "vowed", "threat": "threatened",
    "threats": "threatened", "offer": "offered", "proposal": "proposed", "call": "called", "calls": "called",
    "demand": "demanded",
}

#: Nouns of criticism received ("has faced questions about", "came under criticism for", "drew ridicule"),
#: mapped to the role of the critics' link.
RECEIVED_REPORTS = {
    "criticism": "criticized", "questions": "questioned", "ridicule": "ridiculed", "scrutiny": "scrutinized",
    "backlash": "criticized", "condemnation": "condemned", "charges": "charged", "accusations": "accused",
    "complaints": "complained",
}

#: Nouns of speech, judgement and attitude that name a report by its topic, without "that" ("Trump's
#: comments on trade", "his attacks on the moderators", "the board's disdain for the nominee"), mapped
#: to the role of the link. Read only after a possessive and before a preposition of topic.
TOPIC_NOUNS = {
    "comment": "commented", "comments": "commented", "remark": "said", "remarks": "said", "statement": "stated",
    "statements": "stated", "words": "said", "rhetoric": "said", "message": "said", "criticism": "criticized",
    "critique": "criticized", "attack": "attacked", "attacks": "attacked", "view": "viewed", "views": "viewed",
    "opinion": "thought", "opinions": "thought", "thoughts": "thought", "idea": "thought", "ideas": "thought",
    "theory": "theorized", "position": "held", "stance": "held", "warning": "warned", "warnings": "warned",
    "complaint": "complained", "complaints": "complained", "praise": "praised", "support": "supported",
    "endorsement": "endorsed", "opposition": "opposed", "disdain": "disdained", "contempt": "disdained",
    "scorn": "disdained", "adulation": "admired", "admiration": "admired", "skepticism": "doubted",
    "scepticism": "doubted", "doubts": "doubted", "concern": "worried", "concerns": "worried", "worries": "worried",
    "fears": "feared", "questions": "questioned", "claims": "claimed", "accusations": "accused",
    "allegations": "alleged", "testimony": "testified", "assessment": "assessed", "condemnation": "condemned",
    "denunciation": "denounced", "defense": "defended", "defence": "defended", "apology": "apologized",
    "promise": "promised", "promises": "promised", "pledge": "pledged", "predictions": "predicted",
    "musings": "mused", "jokes": "joked", "tweets": "tweeted", "insults": "insulted", "outrage": "denounced",
}

#: Prepositions that open the topic of a report named by a noun ("comments on", "disdain for").
TOPIC_PREPOSITIONS = frozenset("on about of over against for regarding toward towards".split())

#: Intention verbs that report a plan when followed by "to" ("Clinton plans to visit Ohio").
INTENTION_CUES = frozenset("plans planned hopes hoped expects intends intended seeks sought seek".split())

#: Evidence verbs: only documents, polls and studies "show" or "find".
EVIDENCE_CUES = _forms("showed:shows,showed,shown,show found:found,finds,find indicated:indicates,indicated")
EVIDENCE_HEADS = frozenset(
    """poll polls survey surveys study studies report reports data analysis research review investigation
    audit records documents numbers figures statistics census results evidence findings paper memo
    assessment estimates video footage transcript slide analysis average panel judge court audit chart
    map list tally count poll's averages analyses videos transcripts memos papers reviews audits charts maps
    lists tallies counts investigations""".split()
)

#: Roles that make an assertion deny or support the claim it points at.
DENY_ROLES = frozenset("denied dismissed rejected refuted disputed questioned".split())
SUPPORT_ROLES = frozenset("confirmed agreed echoed".split())

#: Roles whose passive with "by" names the speaker after it and the content before it ("The claim was
#: denied by the ministry", "The nominee has been endorsed by dozens of papers", "The story was first
#: reported by the Post"): verbs of stance, judgement and report whose object is what is said or judged.
AGENT_PASSIVE_ROLES = DENY_ROLES | SUPPORT_ROLES | frozenset(
    """supported endorsed backed opposed praised criticized condemned denounced attacked blasted slammed
    welcomed hailed applauded ridiculed mocked derided challenged promoted proposed recommended reported
    wrote published predicted estimated described characterized portrayed""".split())

#: Words between a subject and its verb ("Reuters earlier wrote").
SKIPPABLE = frozenset(
    """has have had would will also previously earlier later then again once already recently repeatedly
    publicly privately reportedly allegedly first further never not did does do could can may might should
    must just still even often long initially originally separately flatly explicitly immediately quickly
    simply is was were are been has had reportedly openly frequently since subsequently last now didn't doesn't
    don't isn't wasn't won't wouldn't hasn't haven't hadn't can't couldn't""".split()
)

#: Lower-case words that may sit inside a source phrase ("former Fox News host Tucker Carlson").
NP_FUNCTION = frozenset(
    "the a an his her their its our my your another some several many two three four five of for and".split()
)

#: Words that can never be inside a source phrase: they end the backward scan.
NP_STOP = frozenset(
    """that which when while as if because but so or than to in on at with from by after before during since
    about over into through said says is was were are be being been there here this these those it's not no
    what why how where whether although though despite unless until against under upon via per also who""".split()
)

#: Head nouns of lower-case source phrases ("officials", "the agency", "a spokesman").
SOURCE_NOUNS = frozenset(
    """media source sources official officials insider insiders diplomat diplomats aide aides adviser advisers
    advisor advisors expert experts analyst analysts observer observers report reports someone somebody witness
    witnesses resident residents critic critics supporter supporters activist activists protester protesters
    protestors spokesman spokeswoman spokesperson representative representatives member members lawmaker
    lawmakers leader leaders staff staffer staffers voter voters economist economists scientist scientists
    researcher researchers doctor doctors investigator investigators prosecutor prosecutors authorities agent
    agents employee employees worker workers journalist journalists reporter reporters commentator
    commentators people police agency ministry government administration campaign committee group company
    newspaper paper outlet network broadcaster publication channel website president minister senator
    governor mayor chairman chief director secretary candidate nominee host anchor man woman men women
    father mother son daughter wife husband friend friends family lawyer lawyers attorney attorneys judge
    officer officers study poll survey data statement letter memo book article documents records figures
    organization organisation institute center centre council party department office court sheriff
    pollster pollsters strategist strategists operative operatives manager managers founder author authors
    professor professors student students teacher teachers parents business businessman owner owners
    executive executives ceo chair mogul billionaire speaker delegate delegates surrogate surrogates
    democrats republicans americans conservatives liberals progressives evangelicals latinos others
    both all many most some few none either neither one colleagues backers fans donors allies opponents
    rivals challenger incumbent gop democrat republican team spokespeople crowd audience percent majority
    plurality half third union unions association associations coalition alliance federation foundation
    board panel commission firm bank fund charity league caucus society movement residents participants
    immigrants consultants attendants opponents respondents advocate advocates""".split()
)

#: Pronouns that can be the subject of a reporting verb, and how they resolve.
PERSON_PRONOUNS = frozenset("he she him her".split())
GROUP_PRONOUNS = frozenset("they them".split())
THING_PRONOUNS = frozenset(["it"])
SPEAKER_PRONOUNS = frozenset("i we you".split())
RELATIVE_PRONOUNS = frozenset("who which".split())
ALL_PRONOUNS = PERSON_PRONOUNS | GROUP_PRONOUNS | THING_PRONOUNS | SPEAKER_PRONOUNS | RELATIVE_PRONOUNS

#: First names that make "he" skip a candidate (and "she" prefer it); a tiny list is enough.
FEMALE_FIRST_NAMES = frozenset(
    """hillary chelsea nancy elizabeth kamala sarah michelle melania ivanka kellyanne angela theresa marine
    ursula mary susan karen jennifer jill laura nikki loretta huma donna debbie hope katrina kayleigh
    condoleezza madeleine samantha janet julia yulia olena iryna tatiana maria anna natalia liz amy
    carly sheryl ruth sonia elena gina betsy kirsten tammy claire maxine barbara ann anne jane melanie
    stephanie catherine katherine kathleen caroline christine jacqueline valerie marie rachel megan emily
    heather ellen helen margaret rebecca deborah dianne diane susanne suzanne patricia kim beth alison
    allison lisa nicole michele sharon carol carolyn joan joanne lynn kate kathy cathy emma sophie chloe
    ingrid ségolène mireille brigitte""".split()
)
#: First names ending in "a" that are men's: any other first name ending in "a" is taken for a
#: woman's (Aparna, Jacinda, Nicola, Olena), as most such names in English, Romance, Slavic and
#: Indian usage are.
MALE_FIRST_NAMES_IN_A = frozenset(
    """joshua luca nikita ilya sasha misha kostya vanya dima andrea narendra krishna mustafa ezra isa musa
    elisha shiva rama surya akira mika jonah""".split()
)


# --- words the attribution rules read (factcheck.domain.extract.attribution) -----------------------

#: What follows the verb of "…, Lavrov said during a speech": adjuncts, never the content.
POSTPOSED_FOLLOWERS = frozenset(
    """in on at during after before to with while when as from for about of last this earlier late early
    according , . ; ) - ? ! monday tuesday wednesday thursday friday saturday sunday yesterday today
    tonight recently sunday's , since because""".split()
)

#: Words that open an adverbial before the clause subject ("On Thursday, however, Trump …").
OPENERS = frozenset(
    """on in at after before when while as during since under with without despite although though if
    however meanwhile still yet but and so also earlier later last this""".split()
)

#: Weekday names: a capitalised one opening a sentence is an adverbial ("Monday, the mayor said …").
WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())

#: First words of "Label: …" lines that are page furniture, never a speaker ("Update:", "Photo:").
#: Words of the label a series or a running story puts before its headline and a colon ("The Latest:", "Live
#: Updates:", "Analysis:", "Fact Check:").
SERIES_LABEL_WORDS = frozenset("the latest live update updates breaking analysis explainer exclusive opinion "
                               "editorial fact check factcheck watch".split())

NOT_SPEAKERS = frozenset(
    """read update updated note editor related photo video watch source sources q a warning breaking exclusive
    live correction clarification transcript analysis opinion editorial advertisement see also
    the a an this that these those""".split()
)

#: Words that start a new clause: a "that" after one of them is a relative, not the content's "that".
CLAUSE_STARTERS = frozenset(
    """he she they it i we you there is are was were has have had will would can could should may might must
    does did do be been""".split()
)

#: Roles whose verb names the person addressed before its "that"-clause ("warned Congress that …").
OBJECT_THAT_ROLES = frozenset("told warned assured informed reminded convinced persuaded notified advised".split())

#: Nouns whose "that"-clause is what they name, not a relative clause ("denied reports that …").
CONTENT_NOUNS = frozenset(
    """speculation report reports rumor rumors rumour rumours claim claims allegation allegations suggestion
    suggestions accusation accusations assertion assertions statement statements charge charges idea notion
    view views belief fact argument arguments assurances assurance warning warnings evidence word news
    impression hope hopes fear fears concern concerns""".split()
)

#: Verbs with an object before their content ("told reporters that …").
TELL_FORMS = frozenset("told tells tell telling informed assured asked ask asks asking".split())

#: Words that may make up the object of a "tell" verb ("told the AP", "told his supporters").
OBJECT_WORDS = frozenset(
    "him her them me us reporters journalists the a an his their its our my your cnn".split()
)

#: Objects that end the object phrase by themselves ("told him that …").
OBJECT_ENDS = frozenset("him her them me us reporters journalists cnn".split())

#: Roles whose verb can come before its source ("…, said Sergei Lavrov").
INVERTED_ROLES = frozenset(
    "said added wrote told asked stated noted continued explained argued insisted warned replied responded "
    "quipped shouted yelled exclaimed retorted mused whispered muttered pleaded reported declared announced "
    "acknowledged admitted confirmed conceded recalled observed remarked cautioned countered complained "
    "boasted joked lamented stressed emphasized concluded".split()
)

#: Determiners that open a lower-case source phrase after the verb ("…, said one GOP source").
DETERMINERS = frozenset("a an the one another two three some several many most".split())

#: Lower-case words that join the parts of a name ("Center for Strategic Communication").
NAME_CONNECTORS = frozenset("of for and & de in at on the".split())

#: Words between an auxiliary and a participle that still make a passive ("was not confirmed").
PASSIVE_GAP = frozenset("not also never n't first later once".split())

#: Auxiliaries that make a participle passive ("was confirmed", "got reported").
PASSIVE_AUXILIARIES = frozenset("was were is are be been being get got".split())

#: Conjunctions after which a verb shares the clause's subject ("… and said …").
COORDINATORS = frozenset("and but then".split())

#: Words that may stand before a sentence-opening "According to" ("But according to …").
ACCORDING_OPENERS = frozenset("but and so yet also".split())

#: Words that end the source phrase of "according to X" ("according to police in Ohio").
ACCORDING_STOP = frozenset("that which who in on at during when".split())

#: Words after which any noun can be a subject ("The bank said", "one official said").
OPENING_DETERMINERS = frozenset("the a an his her their its one another this".split())

#: Words ending in "-ly" that are not adverbs, so a subject scan does not skip them.
NOT_ADVERBS = frozenset("family italy ally rally assembly daily supply".split())

#: Words ending in "-ed"/"-ing" that may sit inside a name ("Red Cross", "United Nations", "acting director").
NAME_PARTICIPLES = frozenset("red united retired elected acting leading ruling governing".split())

#: Nouns for an outlet that the article may not name ("told the agency", "carried by the newspaper").
MEDIUM_NOUNS = frozenset(
    "agency newspaper network channel broadcaster station magazine paper outlet daily tabloid website".split()
)
