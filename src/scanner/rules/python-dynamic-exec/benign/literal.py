import ast
def parse(text):
    return ast.literal_eval(text)
eval("1 + 1")
