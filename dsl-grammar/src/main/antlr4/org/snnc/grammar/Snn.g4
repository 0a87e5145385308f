/*
 * The .snn network-description language.
 *
 * No actions: a visitor in the compiler module builds the typed AST from this tree, so the grammar
 * stays readable as the language's reference. Comments and whitespace go to a hidden channel so
 * that `snnc fmt` can put the comments back where they were.
 */
grammar Snn;

file
    : item* EOF
    ;

item
    : importDecl
    | networkDecl
    | blockDecl
    | neuronDecl
    ;

importDecl
    : 'import' STRING
    ;

networkDecl
    : 'network' IDENT paramList? '{' stmt* '}'
    ;

paramList
    : '(' (param (',' param)* ','?)? ')'
    ;

param
    : IDENT ':' typeName ('=' expr)?
    ;

// `neuron` is a keyword (neuron definitions) and also the type of a block parameter.
typeName
    : IDENT
    | 'neuron'
    ;

stmt
    : timestepsStmt
    | neuronDecl
    | inputDecl
    | blockDecl
    | outputStmt
    | assignStmt
    ;

timestepsStmt
    : 'timesteps' expr
    ;

neuronDecl
    : 'neuron' IDENT '=' call
    ;

inputDecl
    : 'input' IDENT ':' shape 'encode' application
    ;

shape
    : '[' expr (',' expr)* ','? ']'
    ;

blockDecl
    : 'block' IDENT paramList? '=' expr                      # pipeBlock
    | 'block' IDENT paramList? '{' stmt* returnStmt '}'      # bodyBlock
    ;

returnStmt
    : 'return' expr
    ;

outputStmt
    : 'output' IDENT ('=' expr)?
    ;

assignStmt
    : IDENT '=' expr
    ;

// `->` binds loosest on its left (`a + b -> f` applies f to the sum) and takes one layer on its
// right, so `x -> conv(c * 2)` reads as PyTorch's `conv(x)` with an arithmetic argument.
expr
    : op=('-' | '+') expr                                     # unaryExpr
    | expr op=('*' | '/' | '%') expr                   # mulExpr
    | expr op=('+' | '-') expr                                # addExpr
    | expr '->' application                                   # pipeExpr
    | primary                                                 # primaryExpr
    ;

application
    : call
    | IDENT
    ;

primary
    : NUMBER                                                  # numberLit
    | STRING                                                  # stringLit
    | ('true' | 'false')                                      # boolLit
    | 'in'                                                    # blockInput
    | call                                                    # callExpr
    | IDENT                                                   # nameRef
    | '[' expr (',' expr)* ','? ']'                           # listLit
    | '(' expr ')'                                            # parenExpr
    ;

call
    : IDENT '(' (arg (',' arg)* ','?)? ')'
    ;

arg
    : (IDENT ':')? expr
    ;

NUMBER
    : DIGITS ('.' DIGITS)? ([eE] [+-]? DIGITS)?
    | '.' DIGITS ([eE] [+-]? DIGITS)?
    ;

fragment DIGITS
    : [0-9] ('_'? [0-9])*
    ;

STRING
    : '"' (~["\\\r\n] | '\\' ~[\r\n])* '"'
    ;

// Longer than STRING only when the closing quote is missing, so it never wins over a good string.
UNTERMINATED_STRING
    : '"' (~["\\\r\n] | '\\' ~[\r\n])*
    ;

IDENT
    : [a-zA-Z_] [a-zA-Z_0-9]*
    ;

LINE_COMMENT
    : '//' ~[\r\n]* -> channel(HIDDEN)
    ;

BLOCK_COMMENT
    : '/*' .*? '*/' -> channel(HIDDEN)
    ;

// Matches only a comment that never closes: the body cannot contain '*/', so it reaches EOF or fails.
UNTERMINATED_COMMENT
    : '/*' (~'*' | '*'+ ~[*/])* '*'* EOF
    ;

WS
    : [ \t\r\n\f]+ -> channel(HIDDEN)
    ;

// Anything else is one bad character, reported by the parser as unexpected, never a lexer crash.
BAD_CHAR
    : .
    ;
