// The Tauekel profile language.
//
// The parse tree is only an intermediate: compiler/syntax/ast_builder.cpp turns it into
// our own AST right after parsing, so nothing past the syntax stage depends on ANTLR.
// Words that only mean something in one place (title, scope, kind, ...) are "soft"
// keywords: they stay usable as field and list names (rule `identifier`).
grammar Tauekel;

file
    : packageDecl? importDecl* topDecl* EOF
    ;

packageDecl : PACKAGE qualifiedName ;
importDecl  : IMPORT qualifiedName ;
qualifiedName : identifier (DOT identifier)* ;

topDecl
    : schemaDecl
    | enumDecl
    | listDecl
    | tableDecl
    | areaDecl
    | measureDecl
    | indicatorDecl
    | categoryDecl
    | profileDecl
    | windowDecl
    | scoreDecl
    | learnDecl
    | corridorTargetsDecl
    ;

// ---- schemas and enums --------------------------------------------------------------

enumDecl   : ENUM identifier LBRACE identifier (COMMA identifier)* COMMA? RBRACE ;

schemaDecl : SCHEMA identifier LBRACE fieldDecl* RBRACE ;
fieldDecl  : identifier COLON typeRef fieldOption* ;
fieldOption
    : KEY                      # keyOption
    | COLUMN STRING            # columnOption
    | ROUND INT                # roundOption
    ;

typeRef    : identifier (LT typeRef (COMMA typeRef)* GT)? QUESTION? ;

// ---- reference data -----------------------------------------------------------------

listDecl   : LIST identifier COLON typeRef ASSIGN dataSource ;
tableDecl  : TABLE identifier COLON typeRef ASSIGN dataSource ;
dataSource : CSV LPAREN STRING (COMMA sourceOption)* RPAREN ;
sourceOption : identifier COLON STRING ;

// ---- catalogues ---------------------------------------------------------------------

areaDecl    : AREA identifier STRING (RECOMMENDED_BY identifier)? ;

measureDecl : MEASURE identifier STRING measureOption* ;
measureOption
    : KIND identifier          # measureKindOption
    | STRENGTH INT             # measureStrengthOption
    | CORRIDOR identifier      # measureCorridorOption
    | CONFIDENTIAL             # measureConfidentialOption
    ;

// How long after release customs may still check a declaration (after_release profiles).
windowDecl : WINDOW identifier INT identifier ;

// ---- indicators and person categories -----------------------------------------------

indicatorDecl
    : (PUBLIC statutoryKind=identifier?)? INDICATOR name=identifier
      LPAREN param=identifier RPAREN ASSIGN expr
    ;

// A declaration's risk score: the sum of the points of the terms whose condition holds.
scoreDecl : SCORE name=identifier STRING? LBRACE scoreTerm* RBRACE ;
scoreTerm : POINTS points=expr (WHEN condition=expr)? ;

// The share of declarations each corridor should take (checked by `tauekel backtest`).
corridorTargetsDecl : CORRIDOR TARGETS LBRACE (identifier PERCENT)* RBRACE ;

// What `tauekel learn` learns weights for from control results: one key (or pair of
// keys) per line, general before specific.
learnDecl : LEARN name=identifier STRING? LBRACE learnKey* RBRACE ;
learnKey  : KEY expr (COMMA expr)? ;

categoryDecl : CATEGORY RULES FOR identifier LBRACE categoryRule* RBRACE ;
categoryRule
    : identifier WHEN UNREGISTERED   # unregisteredRule
    | identifier WHEN expr           # conditionRule
    | identifier OTHERWISE           # otherwiseRule
    ;

// ---- profiles -----------------------------------------------------------------------

profileDecl : PROFILE STRING LBRACE profileClause* RBRACE ;
profileClause
    : TITLE STRING                                  # titleClause
    | AREA identifier                               # areaClause
    | VALID DATE RANGE DATE?                        # validClause
    | SCOPE scopeItem (COMMA scopeItem)*            # scopeClause
    | LEVEL identifier (IF expr ELSE identifier)*   # levelClause
    | STATE identifier                              # stateClause
    | WHEN expr                                     # whenClause
    | APPLY measureRule (COMMA measureRule)*        # applyClause
    | INSTRUCTIONS STRING                           # instructionsClause
    | RANDOM PERCENT                                # randomClause
    ;

scopeItem
    : identifier IN listLiteral                     # scopeInList
    | identifier scopeValue                         # scopeSingle
    ;
scopeValue : identifier | STRING ;

measureRule
    : identifier IF expr (ELSE SAMPLE PERCENT)?     # conditionalMeasure
    | identifier SAMPLE PERCENT                     # sampledMeasure
    | identifier                                    # plainMeasure
    ;

// ---- expressions (first alternatives bind tightest) ---------------------------------

expr
    : primary                                                   # primaryExpr
    | expr DOT identifier                                       # memberExpr
    | expr LBRACK expr (COMMA expr)? RBRACK                     # indexExpr
    | MINUS expr                                                # negateExpr
    | expr op=(STAR | SLASH) expr                               # mulExpr
    | expr op=(PLUS | MINUS) expr                               # addExpr
    | expr NOT? IN expr                                         # inExpr
    | expr IS identifier                                        # isExpr
    | expr op=(EQ | NE | LT | LE | GT | GE) expr                # compareExpr
    | <assoc=right> expr COALESCE expr                          # coalesceExpr
    | NOT expr                                                  # notExpr
    | expr AND expr                                             # andExpr
    | expr OR expr                                              # orExpr
    | quant=(ANY | ALL) identifier COLON expr                   # quantifierExpr
    | IF expr THEN expr ELSE expr                               # ifExpr
    ;

primary
    : literal                                                   # literalPrimary
    | identifier LPAREN identifier COLON expr (WHERE expr)? RPAREN  # aggregatePrimary
    | identifier LPAREN (expr (COMMA expr)*)? RPAREN            # callPrimary
    | identifier                                                # namePrimary
    | listLiteral                                               # listPrimary
    | LPAREN expr RPAREN                                        # parenPrimary
    ;

listLiteral : LBRACK (expr (COMMA expr)* COMMA?)? RBRACK ;

literal
    : INT | DECIMAL | PERCENT | STRING | DATE | CODE | TRUE | FALSE
    ;

// Soft keywords are ordinary names outside the construct that gives them meaning.
identifier
    : IDENT
    | KEY | COLUMN | CSV | KIND | STRENGTH | CORRIDOR | RECOMMENDED_BY | RULES | FOR
    | TITLE | VALID | SCOPE | LEVEL | STATE | APPLY | SAMPLE | WHERE | UNREGISTERED | CATEGORY | ROUND
    | INSTRUCTIONS | CONFIDENTIAL | WINDOW | RANDOM | SCORE | POINTS | LEARN | TARGETS
    ;

// ---- lexer --------------------------------------------------------------------------

PACKAGE   : 'package' ;
IMPORT    : 'import' ;
SCHEMA    : 'schema' ;
ENUM      : 'enum' ;
LIST      : 'list' ;
TABLE     : 'table' ;
AREA      : 'area' ;
MEASURE   : 'measure' ;
INDICATOR : 'indicator' ;
PUBLIC    : 'public' ;
CATEGORY  : 'category' ;
PROFILE   : 'profile' ;
WHEN      : 'when' ;
OTHERWISE : 'otherwise' ;
IF        : 'if' ;
THEN      : 'then' ;
ELSE      : 'else' ;
AND       : 'and' ;
OR        : 'or' ;
NOT       : 'not' ;
IN        : 'in' ;
IS        : 'is' ;
ANY       : 'any' ;
ALL       : 'all' ;
TRUE      : 'true' ;
FALSE     : 'false' ;

KEY            : 'key' ;
COLUMN         : 'column' ;
CSV            : 'csv' ;
KIND           : 'kind' ;
STRENGTH       : 'strength' ;
CORRIDOR       : 'corridor' ;
RECOMMENDED_BY : 'recommended_by' ;
RULES          : 'rules' ;
FOR            : 'for' ;
TITLE          : 'title' ;
VALID          : 'valid' ;
SCOPE          : 'scope' ;
LEVEL          : 'level' ;
STATE          : 'state' ;
APPLY          : 'apply' ;
SAMPLE         : 'sample' ;
WHERE          : 'where' ;
UNREGISTERED   : 'unregistered' ;
ROUND          : 'round' ;
INSTRUCTIONS   : 'instructions' ;
CONFIDENTIAL   : 'confidential' ;
WINDOW         : 'window' ;
RANDOM         : 'random' ;
SCORE          : 'score' ;
POINTS         : 'points' ;
LEARN          : 'learn' ;
TARGETS        : 'targets' ;

// A date must win over INT MINUS INT, and a code literal over IDENT STRING: the lexer
// takes the longest match.
DATE    : DIGIT DIGIT DIGIT DIGIT '-' DIGIT DIGIT '-' DIGIT DIGIT ;
CODE    : ('hs' | 'country') '"' ~["\r\n]* '"' ;
PERCENT : DIGITS ('.' DIGITS)? '%' ;
DECIMAL : DIGITS '.' DIGITS ;
INT     : DIGITS ;
STRING  : '"' (ESCAPE | ~["\\\r\n])* '"' ;
IDENT   : [a-zA-Z_] [a-zA-Z_0-9]* ;

RANGE    : '..' ;
DOT      : '.' ;
COMMA    : ',' ;
COLON    : ':' ;
LPAREN   : '(' ;
RPAREN   : ')' ;
LBRACK   : '[' ;
RBRACK   : ']' ;
LBRACE   : '{' ;
RBRACE   : '}' ;
COALESCE : '??' ;
QUESTION : '?' ;
EQ       : '==' ;
NE       : '!=' ;
LE       : '<=' ;
GE       : '>=' ;
LT       : '<' ;
GT       : '>' ;
ASSIGN   : '=' ;
PLUS     : '+' ;
MINUS    : '-' ;
STAR     : '*' ;
SLASH    : '/' ;

LINE_COMMENT  : '//' ~[\r\n]* -> channel(HIDDEN) ;
BLOCK_COMMENT : '/*' .*? '*/' -> channel(HIDDEN) ;
WS            : [ \t\r\n]+ -> skip ;

// Anything else is one bad character; the parser never sees it but a diagnostic does.
UNTERMINATED_STRING : '"' (ESCAPE | ~["\\\r\n])* ;
BAD_CHAR : . ;

fragment DIGIT  : [0-9] ;
fragment DIGITS : DIGIT+ ('_' DIGIT+)* ;
fragment ESCAPE : '\\' . ;
